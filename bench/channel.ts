import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The channel stand-in: an HTTP server at the bots' serviceUrl that accepts their replies
 * ({serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]) and counts them per conversation.
 */
export interface BenchChannel {
  serviceUrl: string;
  /** Replies received so far for a conversation. */
  replies(conversationId: string): number;
  /** Texts received for a conversation, when the channel was started with keepTexts. */
  texts(conversationId: string): string[];
  close(): Promise<void>;
}

export async function startChannel(options: { keepTexts?: boolean } = {}): Promise<BenchChannel> {
  const counts = new Map<string, number>();
  const texts = new Map<string, string[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (match) {
        const id = decodeURIComponent(match[1]!);
        counts.set(id, (counts.get(id) ?? 0) + 1);
        if (options.keepTexts) {
          const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: string };
          texts.set(id, [...(texts.get(id) ?? []), activity.text ?? '']);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1"}');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    replies: (id) => counts.get(id) ?? 0,
    texts: (id) => texts.get(id) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import http from 'node:http';
import https from 'node:https';
import type { Activity } from 'botbuilder';
// The package's index exports the client but not its operation classes; this is the module that defines both.
import { type ConnectorClient, Conversations, type ConnectorModels } from 'botframework-connector/lib/connectorApi/connectorClient';
import { backoffMs, retryAfterMs, sleep } from '../services/store/backoff';
import { ConnectorError, resource } from './connectorResults';

export interface LeanSendOptions {
  /** Attempts for a 429, a 5xx or a dropped connection (as the SDK's retry policy: 3 retries). */
  attempts?: number;
  retry?: { baseMs: number; maxMs: number };
  timeoutMs?: number;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** The longest Retry-After waited for inside a turn (a longer one fails the send at once). */
const IN_TURN_RETRY_AFTER_MS = 60_000;

const RETRIED_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ESOCKETTIMEDOUT']);

interface Answer {
  status: number;
  body: string;
  retryAfterMs?: number;
}

function post(url: URL, body: string, authorization: string | undefined, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        agent: agents[secure ? 'https:' : 'http:'],
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          accept: 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const header = response.headers['retry-after'];
          const after = retryAfterMs(Array.isArray(header) ? header[0] : header);
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ...(after !== undefined ? { retryAfterMs: after } : {}) });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error('the channel did not answer in time'), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end(body);
  });
}

function parsed(body: string): { id?: unknown; error?: { code?: unknown } } {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' ? (value as { id?: unknown; error?: { code?: unknown } }) : {};
  } catch {
    return {};
  }
}

/**
 * True when an HTTP proxy is configured for this process: the SDK's pipeline routes through it
 * (its proxy policy reads these variables) and the plain POSTs here would not, so the SDK's own
 * operations are kept then.
 */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'].some((name) => Boolean(env[name]));
}

/**
 * The two Bot Connector operations every turn uses (send to a conversation, reply to an activity),
 * each as one plain HTTP POST of the activity's JSON on a kept-alive connection, signed by the
 * client's own credentials (which fetch and cache the token) and retried as the SDK's policy does
 * (429 with Retry-After, 5xx, a dropped connection). A Retry-After over a minute, or on the last
 * attempt, ends in a ConnectorError carrying it, for a notice's job to wait that long. The SDK's
 * pipeline (serializer mappers, tracing, logging, redirect and decompression policies) cost about
 * half a millisecond of CPU per message (`npm run bench`). Every other operation stays the SDK's.
 */
export class LeanConversations extends Conversations {
  private readonly attempts: number;
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly timeoutMs: number;

  constructor(
    private readonly connector: ConnectorClient,
    private readonly serviceUrl: string,
    options: LeanSendOptions = {},
  ) {
    super(connector);
    this.attempts = options.attempts ?? 4;
    this.retry = options.retry ?? { baseMs: 800, maxMs: 8_000 };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  override async sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<ConnectorModels.ConversationsSendToConversationResponse> {
    return resource(await this.send(`v3/conversations/${encodeURIComponent(conversationId)}/activities`, activity));
  }

  override async replyToActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<ConnectorModels.ConversationsReplyToActivityResponse> {
    return resource(await this.send(`v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`, activity));
  }

  private async authorization(): Promise<string | undefined> {
    let value: string | undefined;
    await this.connector.credentials.signRequest({
      headers: {
        set: (name: string, header: string) => {
          if (name.toLowerCase() === 'authorization') value = header;
        },
      },
    } as unknown as Parameters<ConnectorClient['credentials']['signRequest']>[0]);
    return value;
  }

  private async send(path: string, activity: Partial<Activity>): Promise<string> {
    const base = this.serviceUrl;
    const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
    const body = JSON.stringify(activity);
    for (let attempt = 1; ; attempt += 1) {
      let answer: Answer;
      try {
        answer = await post(url, body, await this.authorization(), this.timeoutMs);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt < this.attempts && typeof code === 'string' && RETRIED_NETWORK_CODES.has(code)) {
          await sleep(backoffMs(attempt, this.retry));
          continue;
        }
        throw error;
      }
      if (answer.status >= 200 && answer.status < 300) {
        const id = parsed(answer.body).id;
        return typeof id === 'string' ? id : '';
      }
      const asked = answer.retryAfterMs;
      // a channel asking for more than a minute is not waited for inside a turn: the error says how long it asked
      const waitable = asked === undefined || asked <= IN_TURN_RETRY_AFTER_MS;
      if (attempt < this.attempts && waitable && (answer.status === 429 || answer.status === 408 || answer.status >= 500)) {
        await sleep(asked ?? backoffMs(attempt, this.retry));
        continue;
      }
      const code = parsed(answer.body).error?.code;
      throw new ConnectorError(answer.status, typeof code === 'string' ? code : undefined, asked);
    }
  }
}

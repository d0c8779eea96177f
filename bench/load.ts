import http from 'node:http';
import type { BenchChannel } from './channel';

/**
 * The load: conversations posting journey turns to a bot's /api/messages, each waiting for the
 * bot's answer before the next turn. With the anonymous CloudAdapter the HTTP response comes once
 * the turn is over, i.e. after every reply of the turn has reached the channel, so the time to the
 * response is the turn's latency.
 */

/** The start of the journey in Norwegian: a wrong then a right answer, help and status, a bad then a good email. */
const OPENING = ['hei', 'banan', 'ja', 'hjelp', 'status', 'feil', '1', 'hjelp', 'status', 'ikke en epost'];
/** After the address (and "ja" to it shown back) the conversation waits for the code: help, status and a wrong answer, over and over. */
const CYCLE = ['hjelp', 'status', 'banan'];

export function journeyText(turn: number, email: string): string {
  if (turn < OPENING.length) return OPENING[turn]!;
  if (turn === OPENING.length) return email;
  if (turn === OPENING.length + 1) return 'ja';
  return CYCLE[(turn - OPENING.length - 2) % CYCLE.length]!;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface LoadOptions {
  botUrl: string;
  channel: BenchChannel;
  /** Makes conversation, user and email unique to this run. */
  prefix: string;
  conversations: number;
  turns: number;
  /** The journey turn to start at (to continue conversations of an earlier call); 0 by default. */
  firstTurn?: number;
  /** How many conversations talk at the same time (all of them by default). */
  concurrency?: number;
}

export interface LoadResult {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  /** Turn latencies in ms, sorted. */
  latencies: number[];
  replies: number;
  /** Turns answered with a non-2xx status or with no reply at all. */
  failures: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { botUrl, channel, prefix, conversations, turns } = options;
  const latencies: number[] = [];
  let failures = 0;
  let replies = 0;
  const talk = async (c: number) => {
    const conversationId = `${prefix}-c${c}`;
    const email = `${prefix}-${c}@example.com`.toLowerCase();
    const first = options.firstTurn ?? 0;
    for (let turn = first; turn < first + turns; turn++) {
      const before = channel.replies(conversationId);
      const body = JSON.stringify({
        type: 'message',
        id: `${conversationId}-t${turn}`,
        channelId: 'emulator',
        serviceUrl: channel.serviceUrl,
        locale: 'nb-NO',
        text: journeyText(turn, email),
        conversation: { id: conversationId },
        from: { id: `${prefix}-u${c}`, name: 'Bench' },
        recipient: { id: 'bot', name: 'Bot' },
        timestamp: new Date().toISOString(),
      });
      const start = performance.now();
      const status = await post(`${botUrl}/api/messages`, body);
      latencies.push(performance.now() - start);
      const answered = channel.replies(conversationId) - before;
      replies += answered;
      if (status < 200 || status > 299 || answered === 0) failures++;
    }
  };
  const concurrency = Math.min(options.concurrency ?? conversations, conversations);
  let next = 0;
  const worker = async () => {
    while (next < conversations) await talk(next++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { turns: latencies.length, seconds, turnsPerSecond: latencies.length / seconds, latencies, replies, failures };
}

export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

export const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/* Prints performance figures; asserts nothing. Run with `npm run bench`. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDocumentStore } from '../src/services/store/keyvDocumentStore';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function benchStore(name: string, url: string, operations = 2000): Promise<void> {
  let store;
  try {
    store = await openDocumentStore(url);
  } catch (error) {
    console.log(`store ${name}: skipped (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  const key = `bench/${process.pid}/${Date.now()}`;
  let etag = await store.put(key, { n: 0 });
  const started = process.hrtime.bigint();
  for (let i = 1; i <= operations; i++) etag = await store.put(key, { n: i }, { etag });
  const writeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const readStart = process.hrtime.bigint();
  for (let i = 0; i < operations; i++) await store.get(key);
  const readSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
  await store.delete(key);
  await store.close();
  console.log(`store ${name}: ${(operations / writeSeconds).toFixed(0)} conditional writes/s, ${(operations / readSeconds).toFixed(0)} reads/s`);
}

/** A minimal channel: receives the bot's replies and records when each conversation's reply arrived. */
async function startChannel(onReply: (conversationId: string) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (match) onReply(decodeURIComponent(match[1]!));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

async function benchTurns(conversations = 40, turnsEach = 10): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboarding-bench-'));
  const app = await createApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }) });
  const base = await app.start();
  const waiting = new Map<string, () => void>();
  const channel = await startChannel((id) => waiting.get(id)?.());
  const latencies: number[] = [];
  const run = async (c: number) => {
    for (let i = 0; i < turnsEach; i++) {
      const conversationId = `bench-${c}`;
      const replied = new Promise<void>((resolve) => waiting.set(conversationId, resolve));
      const start = performance.now();
      await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message', id: `b${c}-${i}`, channelId: 'bench', serviceUrl: channel.url, locale: 'nb-NO',
          text: i === 0 ? 'hei' : 'hjelp',
          conversation: { id: conversationId }, from: { id: `u${c}` }, recipient: { id: 'bot' },
        }),
      });
      await replied;
      latencies.push(performance.now() - start);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: conversations }, (_, c) => run(c)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `turns over HTTP (SQLite, ${conversations} conversations × ${turnsEach}): ${(latencies.length / seconds).toFixed(0)} turns/s, ` +
      `first reply p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(latencies.at(-1) ?? NaN)}`,
  );
  await app.stop();
  await channel.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboarding-bench-store-'));
  await benchStore('sqlite', `sqlite://${path.join(dir, 'bench.sqlite')}`);
  await benchStore('redis', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  await benchStore('postgres', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  await benchTurns();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

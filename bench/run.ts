/*
 * Prints performance figures; asserts nothing. Run with `npm run bench`.
 *
 * The anchor: a bare botbuilder echo bot (bench/echoBot.ts) and this app, each in its own child
 * process, under the same load from one channel stand-in, all on 127.0.0.1, in one run.
 * BENCH_CPU_PROF=<dir> runs both bots with `node --cpu-prof` and writes their profiles there when they stop.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDocumentStore } from '../src/services/store/keyvDocumentStore';
import { type BenchChannel, startChannel } from './channel';
import { extraFigures } from './extraFigures';
import { type LoadResult, median, percentile, runLoad } from './load';
import { type BotProcess, startBotProcess } from './processes';

const THROUGHPUT = { conversations: 50, turns: 20, rounds: 3 };
const LATENCY_TURNS = 300;
/** BENCH_STORED_CONVERSATIONS=0 skips the stored-conversations figure (e.g. while profiling the turns). */
const STORED_CONVERSATIONS = Number(process.env.BENCH_STORED_CONVERSATIONS ?? 10_000);

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (n: number) => `${n.toFixed(0)} MB`;
const ratio = (n: number) => `${n.toFixed(2)}×`;
const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

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

function mergeResults(a: LoadResult, b: LoadResult): LoadResult {
  const turns = a.turns + b.turns;
  const seconds = a.seconds + b.seconds;
  const latencies = [...a.latencies, ...b.latencies].sort((x, y) => x - y);
  return { turns, seconds, turnsPerSecond: turns / seconds, latencies, replies: a.replies + b.replies, failures: a.failures + b.failures };
}

function describe(result: LoadResult): string {
  const failed = result.failures > 0 ? `, ${result.failures} FAILED turns` : '';
  return `${result.turnsPerSecond.toFixed(0)} turns/s, p50 ${ms(percentile(result.latencies, 50))}, p99 ${ms(percentile(result.latencies, 99))}, ${(result.replies / result.turns).toFixed(1)} replies/turn${failed}`;
}

async function compareBots(echo: BotProcess, app: BotProcess, channel: BenchChannel): Promise<void> {
  const bots = [echo, app];
  console.log(`start to /readyz: echo bot ${ms(echo.readyMs)}, app ${ms(app.readyMs)}`);
  console.log(`RSS when ready: echo bot ${mb(echo.rssMb())}, app ${mb(app.rssMb())}`);

  // Warm-up (JIT, connection pools, SQLite pages), not counted.
  for (const bot of bots) await runLoad({ botUrl: bot.url, channel, prefix: `warm-${bot.name}`, conversations: 10, turns: 20 });

  const { conversations, turns, rounds } = THROUGHPUT;
  const rates = new Map<BotProcess, number[]>(bots.map((b) => [b, []]));
  const cpu = new Map<BotProcess, { ms: number; turns: number }>(bots.map((b) => [b, { ms: 0, turns: 0 }]));
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order so neither bot always runs on a machine the other just heated.
    for (const bot of round % 2 ? bots : [...bots].reverse()) {
      const cpuBefore = bot.cpuMs();
      const result = await runLoad({ botUrl: bot.url, channel, prefix: `tp${round}-${bot.name}`, conversations, turns });
      const used = cpu.get(bot)!;
      used.ms += bot.cpuMs() - cpuBefore;
      used.turns += result.turns;
      rates.get(bot)!.push(result.turnsPerSecond);
      console.log(`  round ${round} ${bot.name.padEnd(8)} ${conversations} conversations × ${turns} turns: ${describe(result)}`);
    }
  }
  const echoRate = median(rates.get(echo)!);
  const appRate = median(rates.get(app)!);
  console.log(`throughput (median of ${rounds} rounds): echo bot ${echoRate.toFixed(0)} turns/s, app ${appRate.toFixed(0)} turns/s → ${ratio(appRate / echoRate)} (target ≥ 0.90×: ${verdict(appRate / echoRate >= 0.9)})`);
  // CPU time per turn moves much less than turns/s when other jobs share the machine
  const [echoCpu, appCpu] = bots.map((b) => cpu.get(b)!.ms / cpu.get(b)!.turns) as [number, number];
  console.log(`CPU per turn in the throughput rounds: echo bot ${echoCpu.toFixed(2)} ms, app ${appCpu.toFixed(2)} ms → ${ratio(appCpu / echoCpu)}`);

  // One conversation each, in alternating slices, so both bots meet the same background load.
  const latency = new Map<BotProcess, LoadResult>();
  const slices = 6;
  for (let slice = 0; slice < slices; slice++) {
    for (const bot of slice % 2 ? [...bots].reverse() : bots) {
      const turns = LATENCY_TURNS / slices;
      const result = await runLoad({ botUrl: bot.url, channel, prefix: `lat-${bot.name}`, conversations: 1, turns, firstTurn: slice * turns });
      const sofar = latency.get(bot);
      latency.set(bot, sofar ? mergeResults(sofar, result) : result);
    }
  }
  for (const bot of bots) console.log(`  ${bot.name.padEnd(8)} 1 conversation × ${LATENCY_TURNS} turns: ${describe(latency.get(bot)!)}`);
  for (const p of [50, 99]) {
    const e = percentile(latency.get(echo)!.latencies, p);
    const a = percentile(latency.get(app)!.latencies, p);
    console.log(`latency p${p}: echo bot ${ms(e)}, app ${ms(a)} → ${ratio(a / e)} (target ≤ 1.50×: ${verdict(a / e <= 1.5)})`);
  }

  const echoRss = echo.rssMb();
  const appRss = app.rssMb();
  console.log(`RSS after the load: echo bot ${mb(echoRss)}, app ${mb(appRss)} → +${mb(appRss - echoRss)} (target ≤ +50 MB: ${verdict(appRss - echoRss <= 50)})`);

  if (STORED_CONVERSATIONS <= 0) return;
  const stored = await runLoad({ botUrl: app.url, channel, prefix: 'stored', conversations: STORED_CONVERSATIONS, turns: 1, concurrency: 50 });
  console.log(`app RSS after ${STORED_CONVERSATIONS.toLocaleString('en')} stored conversations: ${mb(app.rssMb())} (${describe(stored)})`);
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onboarding-bench-'));
  const dist = path.resolve(__dirname, '..');
  const channel = await startChannel();
  const profileDir = process.env.BENCH_CPU_PROF;
  const bots: BotProcess[] = [];
  try {
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
    bots.push(await startBotProcess('echo bot', path.join(dist, 'bench', 'echoBot.js'), {}, profile));
    bots.push(
      await startBotProcess(
        'app',
        path.join(dist, 'src', 'index.js'),
        {
          DATA_DIR: path.join(work, 'app-data'),
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
          // the whole load comes from one address and one conversation: limits high enough never to refuse it,
          // so the limiter's own cost (a counter per message) is still measured
          RATE_LIMITS: 'messages=10000000/60,conversations=10000000/60,uploads=10000000/60,registrations=10000000/60,sendLink=10000000/60',
        },
        profile,
      ),
    );
    if (profileDir) console.log(`CPU profiles go to ${profileDir}: echo bot pid ${bots[0]!.pid}, app pid ${bots[1]!.pid} (CPU.<date>.<time>.<pid>.*.cpuprofile)`);
    await compareBots(bots[0]!, bots[1]!, channel);
  } finally {
    for (const bot of bots) await bot.stop();
    await channel.close();
  }

  await benchStore('sqlite', `sqlite://${path.join(work, 'bench.sqlite')}`);
  await benchStore('redis', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  await benchStore('postgres', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  for (const figure of extraFigures) console.log(await figure());
  fs.rmSync(work, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

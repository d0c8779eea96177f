import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/config';
import { LANGUAGES, type Language } from '../src/domain/language';
import type { Expectation } from '../src/domain/understanding';
import { startUnderstander } from '../src/services/understanding/nlpjsUnderstander';
import { percentile } from './load';

/**
 * What understanding costs: training from the utterance files vs loading the cached model, the
 * memory the loaded models take, and the time one message takes to understand, per language
 * (the held-out lines of test/data/nlu, each seen once, after a warm-up on other text), as wall
 * time and as this process's CPU time (which includes garbage collection; on a busy machine the
 * wall time also holds the waits for a core).
 */
const ms = (n: number) => `${n.toFixed(2)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const PROMPT: Expectation = { kinds: ['yesNo', 'email', 'code'] };

function heldOutLines(language: Language): string[] {
  const file = path.join(projectRoot(), 'test', 'data', 'nlu', `${language}.json`);
  return Object.values(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>).flat();
}

export async function understandingFigure(): Promise<string> {
  const localesDir = path.join(projectRoot(), 'locales');
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nlu-'));
  try {
    const rssBefore = process.memoryUsage().rss;
    const trained = await startUnderstander({ localesDir, cacheDir });
    const rssLoaded = process.memoryUsage().rss;
    const cached = await startUnderstander({ localesDir, cacheDir });
    const { understander } = cached;
    for (let i = 0; i < 300; i++) await understander.understand(`warm up line ${i} hjelp takk`, PROMPT, LANGUAGES[i % 2]);
    const perLanguage = [];
    for (const language of LANGUAGES) {
      const wall: number[] = [];
      const cpu: number[] = [];
      for (const line of heldOutLines(language)) {
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        await understander.understand(line, PROMPT, language);
        const used = process.cpuUsage(cpuStarted);
        wall.push(performance.now() - started);
        cpu.push((used.user + used.system) / 1000);
      }
      const p = (values: number[], n: number) => ms(percentile([...values].sort((a, b) => a - b), n));
      perLanguage.push(`${language} p50 ${p(wall, 50)} p99 ${p(wall, 99)} (CPU p50 ${p(cpu, 50)} p99 ${p(cpu, 99)}, ${wall.length} lines)`);
    }
    return (
      `understanding: ${perLanguage.join(', ')}; ` +
      `start-up: training ${ms(trained.model.ms)}, from cache ${ms(cached.model.ms)}; ` +
      `RSS grew ${mb(rssLoaded - rssBefore)} (libraries, training, both models); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`
    );
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

import { buildPlaceIndex } from '../src/domain/data/places';
import { resolvePlace } from '../src/domain/place';

const MESSAGES = ['Texas', 'jobber i Trondheim', "I'm in Manchester, UK", 'Tronheim', 'London', 'what is this?', 'ja la oss kjøre', 'Deutschland'];

/** The place index: time to build it, the heap it keeps, and the time to read a place (median and p99). */
export function placeFigure(): string {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  const index = buildPlaceIndex();
  const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
  for (const text of MESSAGES) resolvePlace(text, index);
  const times: number[] = [];
  for (let round = 0; round < 250; round++) {
    for (const text of MESSAGES) {
      const at = process.hrtime.bigint();
      resolvePlace(text, index);
      times.push(Number(process.hrtime.bigint() - at) / 1e6);
    }
  }
  times.sort((a, b) => a - b);
  const at = (share: number) => times[Math.floor(times.length * share)]!;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  return `place index: built in ${buildMs.toFixed(0)} ms, ${index.names.size} names, heap +${heapMb.toFixed(1)} MB (before GC); a place read in ${at(0.5).toFixed(3)} ms (median), ${at(0.99).toFixed(2)} ms (p99)`;
}

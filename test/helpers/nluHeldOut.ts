import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../src/domain/language';

/** The held-out utterances of test/data/nlu/<language>.json: never used in training. */
export function heldOut(language: Language): Record<string, string[]> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'data', 'nlu', `${language}.json`), 'utf8')) as Record<string, string[]>;
}

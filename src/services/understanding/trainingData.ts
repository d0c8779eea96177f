import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../domain/language';
import { MODEL_INTENTS } from '../../domain/understanding';

/** Utterances by intent, for one language. */
export type Utterances = Record<string, string[]>;

export interface TrainingData {
  byLanguage: Record<Language, Utterances>;
  /** sha256 over every file's name and bytes: the key of a cached model. */
  hash: string;
}

const utteranceFile = z.record(z.string(), z.array(z.string().min(1)));

/** The folder of a language's utterance files. */
export function nluDir(localesDir: string, language: Language): string {
  return path.join(localesDir, language, 'nlu');
}

/**
 * Reads locales/<language>/nlu/*.json ({ "<intent>": ["utterance", …] }), all files merged.
 * An unknown intent name is an error, so a typo in a file cannot train a class nobody handles.
 */
export async function readTrainingData(localesDir: string): Promise<TrainingData> {
  const hash = createHash('sha256');
  const byLanguage = {} as Record<Language, Utterances>;
  for (const language of LANGUAGES) {
    const dir = nluDir(localesDir, language);
    const names = (await fs.readdir(dir)).filter((name) => name.endsWith('.json')).sort();
    const utterances: Utterances = {};
    for (const name of names) {
      const bytes = await fs.readFile(path.join(dir, name));
      hash.update(`${language}/${name}\0`).update(bytes).update('\0');
      const parsed = utteranceFile.safeParse(JSON.parse(bytes.toString('utf8')));
      if (!parsed.success) throw new Error(`${language}/nlu/${name}: expected { "<intent>": ["utterance", …] }`);
      for (const [intent, lines] of Object.entries(parsed.data)) {
        if (!MODEL_INTENTS.includes(intent)) throw new Error(`${language}/nlu/${name}: unknown intent "${intent}"`);
        (utterances[intent] ??= []).push(...lines);
      }
    }
    byLanguage[language] = utterances;
  }
  return { byLanguage, hash: hash.digest('hex') };
}

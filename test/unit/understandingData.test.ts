import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { LANGUAGES } from '../../src/domain/language';
import { MODEL_INTENTS } from '../../src/domain/understanding';
import { foldText } from '../../src/domain/understandingDecision';
import { nluDir, readTrainingData } from '../../src/services/understanding/trainingData';
import { heldOut } from '../helpers/nluHeldOut';

/** The training utterances (locales/<language>/nlu) and the held-out set (test/data/nlu) as data. */
const localesDir = path.join(projectRoot(), 'locales');

describe('understanding data', () => {
  it('nb and en have the same utterance files', () => {
    const files = (language: 'nb' | 'en') => fs.readdirSync(nluDir(localesDir, language)).sort();
    expect(files('nb')).toEqual(files('en'));
    expect(files('nb').length).toBeGreaterThan(0);
  });

  it('every intent has at least 20 different training utterances in each language, and only known intents are trained', async () => {
    const data = await readTrainingData(localesDir); // throws on an unknown intent name
    for (const language of LANGUAGES) {
      const counts = MODEL_INTENTS.map((intent) => ({ language, intent, distinct: new Set((data.byLanguage[language][intent] ?? []).map(foldText)).size }));
      expect(counts.filter((c) => c.distinct < 20)).toEqual([]);
    }
  });

  it('no utterance is taught as two different intents', async () => {
    const data = await readTrainingData(localesDir);
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const language of LANGUAGES) {
      for (const [intent, lines] of Object.entries(data.byLanguage[language])) {
        for (const line of lines) {
          const key = foldText(line);
          const before = seen.get(key);
          if (before && before !== intent) clashes.push(`"${line}": ${before} and ${intent}`);
          seen.set(key, intent);
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it('the held-out set has at least 10 lines per intent per language, and none of them is in training (either language)', async () => {
    const data = await readTrainingData(localesDir);
    const trained = new Set(LANGUAGES.flatMap((language) => Object.values(data.byLanguage[language]).flat().map(foldText)));
    for (const language of LANGUAGES) {
      const set = heldOut(language);
      expect(MODEL_INTENTS.filter((intent) => (set[intent]?.length ?? 0) < 10)).toEqual([]);
      const leaked = Object.values(set)
        .flat()
        .filter((line) => trained.has(foldText(line)));
      expect({ language, leaked }).toEqual({ language, leaked: [] });
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { LANGUAGES, type Language } from '../../src/domain/language';
import { NONE_INTENT, intentNameOf } from '../../src/domain/understanding';
import { foldText } from '../../src/domain/understandingDecision';
import { startUnderstander } from '../../src/services/understanding/nlpjsUnderstander';
import { readTrainingData } from '../../src/services/understanding/trainingData';
import type { Understander } from '../../src/services/understanding/understander';

/**
 * Site chatter (test/data/nlu/chatter.json): what an installer types on a building site without
 * asking for anything ("sending a pic", "bytter telefon snart", "laderen lyser rødt"). The model
 * names a class for any text, and a reading of one of these as a request does something nobody
 * asked for (an email sent again, the profile opened, a ticket for support).
 *
 * Each line is understood at a step that only waits (no answer expected, as the confirmation or
 * the courses), so the model's reading is what counts. Acceptable readings:
 * - nothing understood (None): the bot says it did not get that and asks its question again;
 * - help, status, greeting, thanks: they only show the help, where the installer is, or say hello/you're welcome;
 * - a reading listed for the line in `alsoFits` (a guide question the line really asks);
 * - tolerated, not acceptable: a wrong reading listed in `knownMisreadings`, one that does nothing
 *   ("jobbet med dette i 20 år" as "later": "fine, carry on later"); a request is never listed there.
 * Never acceptable: a request that does or changes something (ACTIONS), nor any other class
 * (a guide answer to a question not asked, "I'm on site", "later", "I have a question", a language).
 */
const ACCEPTABLE = new Set([NONE_INTENT, 'help', 'status', 'greeting', 'thanks']);

/** Requests that act: send, change, cancel, delete, hand over to a person, switch language. */
const ACTIONS = new Set([
  'resend', 'newCode', 'newLink', 'didntGetEmail', 'changeEmail', 'changeRegion', 'changeProfile',
  'cancel', 'restart', 'deleteData', 'exportData', 'human', 'language.nb', 'language.en',
]);

interface ChatterSet {
  lines: string[];
  alsoFits: Record<string, string[]>;
  knownMisreadings: Record<string, string>;
}
const CHATTER = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'data', 'nlu', 'chatter.json'), 'utf8')) as Record<Language, ChatterSet>;

let understander: Understander;

beforeAll(async () => {
  ({ understander } = await startUnderstander({ localesDir: path.join(projectRoot(), 'locales'), memo: true }));
}, 60_000);

it('is a set of its own: some 40 lines per language, none of them trained on', async () => {
  const data = await readTrainingData(path.join(projectRoot(), 'locales'));
  const trained = new Set(LANGUAGES.flatMap((language) => Object.values(data.byLanguage[language]).flat().map(foldText)));
  for (const language of LANGUAGES) {
    expect(CHATTER[language].lines.length).toBeGreaterThanOrEqual(40);
    expect(CHATTER[language].lines.filter((line) => trained.has(foldText(line)))).toEqual([]);
    expect(Object.keys(CHATTER[language].alsoFits).filter((line) => !CHATTER[language].lines.includes(line))).toEqual([]);
    expect(Object.keys(CHATTER[language].knownMisreadings).filter((line) => !CHATTER[language].lines.includes(line))).toEqual([]);
    expect(Object.values(CHATTER[language].knownMisreadings).filter((reading) => ACTIONS.has(reading))).toEqual([]);
  }
});

describe.each(LANGUAGES)('site chatter in %s', (language: Language) => {
  it('is never read as a request, nor as anything it does not say', async () => {
    const { lines, alsoFits, knownMisreadings } = CHATTER[language];
    const readings: Array<{ line: string; got: string }> = [];
    for (const line of lines) readings.push({ line, got: intentNameOf(await understander.understand(line, {}, language)) });
    const wrong = readings.filter(({ line, got }) => !ACCEPTABLE.has(got) && !(alsoFits[line] ?? []).includes(got));
    const acted = wrong.filter(({ got }) => ACTIONS.has(got));
    const unexpected = wrong.filter(({ line, got }) => knownMisreadings[line] !== got);
    console.log(
      [
        `site chatter ${language}: ${lines.length - wrong.length}/${lines.length} acceptable, ${acted.length} read as a request, ${wrong.length - unexpected.length} known misreadings`,
        ...wrong.map(({ line, got }) => `  ${JSON.stringify(line)} → ${got}${ACTIONS.has(got) ? ' (ACTION)' : ''}`),
      ].join('\n'),
    );
    expect(unexpected.map(({ line, got }) => `${line} → ${got}`)).toEqual([]);
  });
});

import path from 'node:path';
import { projectRoot } from '../../src/config';
import { contentWords, intentVocabulary, isGrounded } from '../../src/domain/intentGrounding';
import type { Language } from '../../src/domain/language';
import { startUnderstander } from '../../src/services/understanding/nlpjsUnderstander';
import type { Understander } from '../../src/services/understanding/understander';

describe('grounding a reading in the words a class was trained on', () => {
  const vocabulary = intentVocabulary([
    { restart: ['start på nytt', 'begynn forfra'], newCode: ['send koden igjen'], help: ['hjelp'], whatIsThis: ['hva er dette'], courses: ['må jeg ta alle sammen', 'må man ta alle'] },
    { restart: ['start over'] },
  ]);

  it('keeps the words that can say what a message is about', () => {
    expect(contentWords('Kan jeg ta det på mobilen?')).toEqual(['mobilen']);
    expect(contentWords('what is this really')).toEqual([]);
  });

  it.each([
    ['start på nytt', 'restart', true],
    ['START OVER please', 'restart', true],
    ['begyn forfra', 'restart', true], // one typo
    ['hvor er koden min', 'newCode', true], // inflected
    ['kan jeg ta det på mobilen', 'restart', false],
    ['my colleague needs to sign up too', 'restart', false],
    ['hva er dette egentlig', 'whatIsThis', true], // common words only, each trained for the class (a filler aside): the model's reading stands
    ['hva er dette egentlig', 'restart', false], // common words only, none trained for the class
    ['samme', 'courses', false], // an everyday word is not inflected "sammen"
    ['er det samme for alle', 'courses', false], // one shared common word ("alle") says nothing
    ['its freezing here', 'help', true], // help only shows help: taken without a shared word
  ])('%j as %s: %s', (text, intent, grounded) => {
    expect(isGrounded(text, intent, vocabulary)).toBe(grounded);
  });
});

/** Messages from a building site the model read with confidence as something they are not (before grounding: the class it acted on). */
const MISREAD: Record<Language, Array<[string, string]>> = {
  nb: [
    ['kan jeg ta det på mobilen', 'restart'],
    ['mistet nettet', 'faq.whichPortal'],
    ['appen krasjet', 'faq.installerAccount'],
    ['det er kaldt her', 'faq.whatIsThis'],
  ],
  en: [
    ['my colleague needs to sign up too', 'cancel'],
    ['page wont load', 'exportData'],
    ['im in the garage', 'thanks'],
    ['who are you guys', 'faq.whatIsThis'],
  ],
};

describe.each<Language>(['nb', 'en'])('the model\'s confident misreadings in %s', (language) => {
  let understander: Understander;
  beforeAll(async () => {
    ({ understander } = await startUnderstander({ localesDir: path.join(projectRoot(), 'locales'), memo: true }));
  }, 60_000);

  it.each(MISREAD[language])('%j is not acted on as %s: at most offered as a guess', async (text, misread) => {
    const understanding = await understander.understand(text, {}, language);
    // not acted on: at most offered as a guess to tap
    expect({ misread, kind: understanding.kind }).toEqual({ misread, kind: 'none' });
  });
});

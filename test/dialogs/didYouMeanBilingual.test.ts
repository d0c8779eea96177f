import { localeText } from '../helpers/localeText';
import { createDialogRig } from '../helpers/dialogRig';

/**
 * Before a language is known the chat speaks Norwegian and English together. A "did you mean …?"
 * then names the guess in each sentence's own language (found by the fuzz test: the Norwegian
 * sentence quoted «Snakk med et menneske» followed by "Talk to a person" inside the same quotes).
 */
describe('"did you mean" before a language is known', () => {
  it('names the guess in Norwegian in the Norwegian sentence and in English in the English one', async () => {
    const rig = await createDialogRig(undefined, 'test', {}, (understander) => ({
      understand: async (text, expectation, language) =>
        text === 'snakke med noen kanskje' ? { kind: 'none', guesses: [{ kind: 'intent', intent: 'human', score: 0.5 }] } : understander.understand(text, expectation, language),
    }));
    try {
      await rig.say('hei');
      const [reply] = await rig.say('snakke med noen kanskje');
      const sentences = `${localeText('nb', 'chat:didYouMean.one', { first: 'Snakk med et menneske' })}\n\n${localeText('en', 'chat:didYouMean.one', { first: 'Talk to a person' })}`;
      // a text-only channel lists the guess under the question (there in both languages)
      expect(reply!.startsWith(`${sentences}\n\n`)).toBe(true);
      // the labels themselves, read from the locale files
      expect([localeText('nb', 'chat:guess.human'), localeText('en', 'chat:guess.human')]).toEqual(['Snakk med et menneske', 'Talk to a person']);
    } finally {
      await rig.close();
    }
  });
});

import { readYesNo } from '../../src/domain/yesNo';

describe('readYesNo: a confirmation in a few words', () => {
  it.each(['ja', 'Ja!', 'ja det stemmer', 'Ja, det stemmer.', 'stemmer', 'riktig', 'korrekt', 'ja takk', 'jepp det er riktig', 'yes', "yes that's right", 'Correct', 'yep thats it', 'yeah'])(
    '%j is yes',
    (text) => expect(readYesNo(text)).toBe('yes'),
  );
  it.each(['nei', 'Nei!', 'nei det er feil', 'feil', 'stemmer ikke', 'ikke riktig', 'no', 'nope', "no that's wrong", 'wrong', 'incorrect'])('%j is no', (text) => expect(readYesNo(text)).toBe('no'));
  it.each(['', 'hmm', 'hjelp', 'ja men nei', 'yes but no', 'kanskje', 'what do you mean by this question and why do you ask'])('%j is neither', (text) =>
    expect(readYesNo(text)).toBeUndefined(),
  );
});

import type { Language } from '../../src/domain/language';
import { isClearlyNoAnswer, parseField, type ProfileFieldId } from '../../src/domain/profileFields';

/** What installers typed at the free-text questions: answers, and sentences about something else (found playing it through). */
const TABLE: Record<Language, { answers: Array<[ProfileFieldId, string]>; sentences: Array<[ProfileFieldId, string]>; selfEmployed: string[] }> = {
  nb: {
    answers: [
      ['firstName', 'Kari Nordmann'], ['firstName', 'Ole-Petter'], ['firstName', 'Åse Marie'], ['firstName', 'jeg heter Kari'], ['firstName', 'Kari heter jeg'],
      ['firstName', 'Jo'], ['firstName', 'Per'], ['lastName', 'van der Berg'], ['lastName', "O'Neill"], ['firstName', 'Nguyễn Văn An'],
      ['company', 'Elektro & Service AS'], ['company', 'Strøm og Lys AS'], ['company', 'El-Tjenester Nord'], ['company', 'Bravo Elektro'],
      ['company', 'jeg jobber i Elektro AS'], ['company', 'IT-Partner Elektro'], ['phone', 'mobilen min er 912 34 567'], ['postalCode', 'Oslo 0150'],
    ],
    sentences: [
      ['firstName', 'passordlenken sier at den har gått ut'], ['firstName', 'jeg fikk ingen epost'], ['firstName', 'lenken virker ikke'],
      ['lastName', 'har ikke fått noe kurs'], ['company', 'lenken virker ikke'], ['company', 'jeg vet ikke hva jeg skal skrive'],
      ['phone', 'jeg fikk ingen epost'], ['postalCode', 'lenken virker ikke'],
    ],
    selfEmployed: ['har ikke firma enda', 'har ikke firma', 'jobber alene', 'ikke noe firma', 'har ikke noe firma ennå', 'jobber for meg selv', 'bare meg', 'er selvstendig'],
  },
  en: {
    answers: [
      ['firstName', 'Kari Nordmann'], ['firstName', 'my name is Sam'], ['firstName', 'Will'], ['lastName', 'van der Berg'], ['lastName', "O'Neill"],
      ['firstName', 'Nguyễn Văn An'], ['company', 'Sparks Ltd.'], ['company', 'I work for Sparks Ltd'], ['company', 'The Electric Company Ltd'],
      ['company', 'Bright Sparks'], ['phone', 'my mobile is 07911 123456'], ['postalCode', 'SW1A 1AA'],
    ],
    sentences: [
      ['firstName', 'the password link says it expired'], ['firstName', 'I never got the email'], ['lastName', 'the link does not work'],
      ['firstName', 'one two three four five six seven'], ['company', 'the link does not work'], ['company', "I don't know what to put"],
      ['phone', 'I never got the email'], ['postalCode', 'the link does not work'],
    ],
    selfEmployed: ['i work for myself', 'no company yet', 'just me', "I don't have a company", 'I work alone', "it's just me", 'on my own', 'self employed'],
  },
};

describe.each<Language>(['nb', 'en'])('what the free-text profile questions refuse, in %s', (language) => {
  const t = TABLE[language];
  it.each(t.answers)('%s: "%s" is an answer', (field, text) => {
    expect(isClearlyNoAnswer(field, text)).toBe(false);
    expect(parseField(field, text, 'global', { country: field === 'postalCode' || field === 'phone' ? (language === 'nb' ? 'NO' : 'GB') : undefined }).ok).toBe(true);
  });
  it.each(t.sentences)('%s: "%s" is clearly no answer', (field, text) => {
    expect(isClearlyNoAnswer(field, text)).toBe(true);
  });
  it.each(t.selfEmployed)('company: "%s" is the self-employed answer (not a sentence, not a company)', (text) => {
    expect(isClearlyNoAnswer('company', text)).toBe(false);
    expect(parseField('company', text, 'global')).toEqual({ ok: false, problem: 'selfEmployed' });
  });
});

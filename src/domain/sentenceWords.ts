/**
 * Words of a sentence, never of a name (folded, as foldText writes them): pronouns, verbs,
 * negations and small words of nb and en that no person's or company's name is made of. A message
 * with one of them at the name question is about something else ("the password link says it
 * expired", "jeg fikk ingen epost"). Words that are also names are left out ("Per", "Can", "Will",
 * "Du", "Ma", "Do", "Vi", "Min", "An", "De", "Den", "Det", "Da", "I").
 */
const BOTH = [
  // nb
  'jeg', 'meg', 'deg', 'ikke', 'har', 'hadde', 'sier', 'fikk', 'fatt', 'gikk', 'kommer', 'virker', 'funker', 'fungerer', 'trenger', 'skjonner',
  'vet', 'finner', 'glemt', 'glemte', 'skal', 'vil', 'er', 'hva', 'hvordan', 'hvorfor', 'hvem', 'enda', 'enna', 'fortsatt', 'ogsa', 'mitt',
  'mine', 'ditt', 'dere', 'oss', 'noe', 'sendt', 'gatt', 'ut', 'takk',
  // en
  'im', 'ive', 'my', 'you', 'your', 'its', 'is', 'are', 'was', 'were', 'has', 'have', 'had', 'says', 'said', 'does', 'doesnt', 'didnt', 'dont',
  'cant', 'wont', 'isnt', 'not', 'never', 'got', 'get', 'need', 'want', 'forgot', 'expired', 'yet', 'still', 'please', 'what', 'how', 'why',
  'where', 'when', 'who', 'there', 'this', 'that', 'thanks',
] as const;

/** Besides: words a company's name may hold ("IT-Partner", "The Electric Company") but a person's never does. */
const NAME_ONLY = [
  'it', 'me', 'the', 'og', 'and', 'lenke', 'lenken', 'lenka', 'passord', 'passordet', 'epost', 'eposten', 'mail', 'mailen', 'email', 'kode',
  'koden', 'kurs', 'kurset', 'kursene', 'firma', 'konto', 'kontoen', 'link', 'password', 'account', 'course', 'courses', 'code',
] as const;

const IN_COMPANY = new Set<string>(BOTH);
const IN_NAME = new Set<string>([...BOTH, ...NAME_ONLY]);

/** Whether folded words hold a word of a sentence: for a person's name (`name`) or a company's. */
export function holdsSentenceWord(words: readonly string[], of: 'name' | 'company'): boolean {
  const set = of === 'name' ? IN_NAME : IN_COMPANY;
  return words.some((word) => set.has(word));
}

import { editDistance, foldText } from './understandingDecision';

/**
 * Whether a model's reading is grounded in the message: the trained model answers every message
 * with some class, often with full confidence ("mistet nettet" as the portal question, "kan jeg ta
 * det på mobilen" as "start over", "its freezing here" as help). A reading counts as understood only
 * when the message shares a word with what that class was trained on; otherwise it is only a guess.
 */

/** Words that say nothing about what a message is about (folded, both languages). */
const COMMON_WORDS = new Set(
  [
    // Norwegian
    'jeg', 'du', 'deg', 'det', 'den', 'dei', 'dem', 'der', 'her', 'som', 'til', 'fra', 'med', 'men', 'eller', 'kan', 'vil', 'har', 'hadde', 'meg',
    'min', 'mitt', 'mine', 'din', 'ditt', 'dine', 'ikke', 'skal', 'bare', 'hva', 'hvor', 'hvordan', 'hvem', 'hvorfor', 'hvilken', 'hvilke', 'nar',
    'dette', 'denne', 'disse', 'han', 'hun', 'seg', 'sin', 'sitt', 'sine', 'var', 'vaere', 'blir', 'ble', 'for', 'noe', 'noen', 'alle', 'alt',
    'ogsa', 'enn', 'etter', 'inn', 'opp', 'ned', 'over', 'under', 'hos', 'mot', 'dere', 'oss', 'vaer', 'igjen', 'egentlig', 'altsa', 'liksom',
    'bli', 'gjore', 'gjor', 'gjort', 'fa', 'far', 'fikk', 'vet', 'tror', 'sann', 'slik', 'helt', 'veldig', 'mye', 'mer', 'enda', 'allerede',
    'samme', 'sammen',
    // English
    'the', 'you', 'your', 'yours', 'want', 'how', 'what', 'whats', 'please', 'just', 'this', 'that', 'thats', 'get', 'got', 'are', 'was', 'were',
    'will', 'would', 'could', 'should', 'have', 'has', 'had', 'does', 'did', 'not', 'dont', 'cant', 'and', 'but', 'with', 'our', 'his', 'her',
    'their', 'there', 'here', 'who', 'why', 'when', 'where', 'which', 'about', 'from', 'any', 'some', 'all', 'also', 'than', 'then', 'them', 'they',
    'its', 'ive', 'ill', 'really', 'again', 'exactly', 'now', 'one', 'can', 'for', 'too', 'very', 'much', 'more', 'still', 'already', 'into',
    'out', 'off', 'doing', 'done', 'make', 'know', 'think', 'thing', 'yeah', 'okay', 'wont', 'same',
  ].map(foldText),
);

/** Common words that only colour a message ("hva er dette egentlig", "what is this really"): not needed in the training lines. */
const FILLERS = new Set(['egentlig', 'altsa', 'liksom', 'bare', 'igjen', 'really', 'just', 'please', 'exactly', 'again']);

/** The words of a message of three letters or more, folded. */
function longWords(text: string): string[] {
  return foldText(text)
    .split(' ')
    .filter((word) => word.length >= 3);
}

/** The words of a message that can tie it to a subject: folded, three letters or more, not common. */
export function contentWords(text: string): string[] {
  return longWords(text).filter((word) => !COMMON_WORDS.has(word));
}

/** The same word: as trained, with one typo, or inflected (one a prefix of the other: "koden"/"kode", "lenka"/"lenke" with a typo). */
function sameWord(word: string, known: string): boolean {
  if (word === known) return true;
  if (word.length < 4 || known.length < 4) return false;
  return editDistance(word, known, 1) <= 1 || word.startsWith(known) || known.startsWith(word);
}

/** What each class was trained on, both languages together (people mix them). */
interface ClassWords {
  /** The content words of its training lines. */
  content: readonly string[];
  /** Every word of three letters or more in them, common ones too. */
  all: ReadonlySet<string>;
}
export type IntentVocabulary = ReadonlyMap<string, ClassWords>;

export function intentVocabulary(utterancesByLanguage: ReadonlyArray<Readonly<Record<string, readonly string[]>>>): IntentVocabulary {
  const words = new Map<string, Set<string>>();
  for (const utterances of utterancesByLanguage) {
    for (const [intent, lines] of Object.entries(utterances)) {
      const known = words.get(intent) ?? new Set<string>();
      for (const line of lines) for (const word of longWords(line)) known.add(word);
      words.set(intent, known);
    }
  }
  return new Map([...words].map(([intent, all]) => [intent, { content: [...all].filter((word) => !COMMON_WORDS.has(word)), all }]));
}

/**
 * Readings taken without a shared word: they only show the help or where the installer is, and ask
 * the question again. Reading one wrongly costs a look at the help; missing one ("how far along am
 * i", "no idea what to do") leaves someone stuck.
 */
const TAKEN_UNGROUNDED = new Set(['help', 'status']);

/**
 * Whether a message shares a word with what a class was trained on. A message of common words only
 * ("hva er dette", "what is this") has no subject word to compare: its reading stands when the class
 * was trained on every one of its words (fillers aside), as written. A common word is too short and too like others
 * for the typo and inflection allowance ("samme" is not "sammen"), and one shared common word says
 * nothing ("er det samme for alle" shares "alle" with "må jeg ta alle", read as the courses question).
 */
export function isGrounded(text: string, intent: string, vocabulary: IntentVocabulary): boolean {
  if (TAKEN_UNGROUNDED.has(intent)) return true;
  const known = vocabulary.get(intent);
  const words = contentWords(text);
  if (words.length === 0) return longWords(text).every((word) => FILLERS.has(word) || (known?.all.has(word) ?? false));
  return words.some((word) => (known?.content ?? []).some((k) => sameWord(word, k)));
}

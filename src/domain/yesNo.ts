import { normaliseInput } from './commands';
import { VOCABULARY } from './vocabulary';

const NEGATIONS = new Set(['nei', 'no', 'not', 'ikke', 'feil', 'wrong', 'men', 'but', 'nope', "isn't", 'isnt']);

/**
 * Yes or no in a short sentence, the way people confirm something shown to them: "ja det stemmer",
 * "riktig", "yes that's right", "nei, feil". A message that says both (or neither) is undefined.
 */
export function readYesNo(text: string | undefined): 'yes' | 'no' | undefined {
  const said = normaliseInput(text ?? '').replace(/[?()]/g, ' ').replace(/\s+/g, ' ').trim();
  if (said === '') return undefined;
  const yes: readonly string[] = [...VOCABULARY.yes, ...VOCABULARY.itIsRight];
  const no: readonly string[] = [...VOCABULARY.no, ...VOCABULARY.itIsWrong];
  if (yes.includes(said)) return 'yes';
  if (no.includes(said)) return 'no';
  const words = said.split(' ');
  if (words.length > 6) return undefined;
  const negated = words.some((w) => NEGATIONS.has(w));
  if (yes.includes(words[0]!) && !negated) return 'yes';
  if (no.includes(words[0]!) || (negated && !words.some((w) => yes.includes(w)))) return 'no';
  return undefined;
}

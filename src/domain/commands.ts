import type { Region } from './journey';
import type { Language } from './language';
import { VOCABULARY } from './vocabulary';

/** Global commands, recognised anywhere in the conversation, in both languages. */
export type Command =
  | { kind: 'help' }
  | { kind: 'cancel' }
  | { kind: 'restart' }
  | { kind: 'status' }
  | { kind: 'language' }
  | { kind: 'setLanguage'; language: Language }
  | { kind: 'region'; region?: Region }
  | { kind: 'station' }
  | { kind: 'human' }
  | { kind: 'deleteData' }
  | { kind: 'exportData' }
  | { kind: 'confirmDelete' };

/** What users type, normalised (lower case, no punctuation). Input vocabulary, not output text. */
const PHRASES: Array<[string[], Command]> = [
  [['help', 'hjelp', '?', 'hjelp meg', 'help me'], { kind: 'help' }],
  [['cancel', 'avbryt', 'stopp', 'stop', 'quit', 'avslutt'], { kind: 'cancel' }],
  [['restart', 'start på nytt', 'start over', 'begynn på nytt', 'start again', 'reset'], { kind: 'restart' }],
  [['status', 'fremdrift', 'progress', 'hvor er jeg', 'where am i'], { kind: 'status' }],
  [['language', 'språk', 'sprak', 'change language', 'bytt språk', 'endre språk'], { kind: 'language' }],
  [['english', 'engelsk', 'in english', 'på engelsk'], { kind: 'setLanguage', language: 'en' }],
  [['norsk', 'norwegian', 'bokmål', 'bokmal', 'på norsk', 'in norwegian'], { kind: 'setLanguage', language: 'nb' }],
  [
    ['agent', 'menneske', 'support', 'kundestøtte', 'human', 'person', 'snakk med et menneske', 'talk to a human', 'talk to a person'],
    { kind: 'human' },
  ],
  [['delete my data', 'slett dataene mine', 'slett mine data', 'delete my account', 'slett kontoen min'], { kind: 'deleteData' }],
  [['export my data', 'eksporter dataene mine', 'eksporter mine data', 'send me my data', 'send meg dataene mine', 'export data', 'eksporter data'], { kind: 'exportData' }],
  [['stasjon', 'station', 'lokaliser stasjon', 'localize station', 'localise station', 'ny stasjon', 'new station'], { kind: 'station' }],
  [['slett alt', 'ja slett alt', 'delete everything', 'yes delete everything'], { kind: 'confirmDelete' }],
];

const BY_PHRASE = new Map<string, Command>(PHRASES.flatMap(([phrases, command]) => phrases.map((p) => [p, command])));

export function normaliseInput(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[!.,;:¡¿"'«»]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The global command a message is, or undefined. Only whole messages count ("help" yes, "I need help with X" no). */
export function recognizeCommand(text: string | undefined): Command | undefined {
  if (!text) return undefined;
  const normalised = normaliseInput(text);
  if (normalised === '?') return { kind: 'help' };
  return BY_PHRASE.get(normalised.replace(/\?/g, '').trim()) ?? recognizeRegionCommand(normalised);
}

const REGION_COMMAND = /^(?:region|endre region|bytt region|feil region|change region|wrong region)(?:\s+(.+))?$/;

/** "region" shows the region; "region europa" / "change region north america" changes it. */
function recognizeRegionCommand(normalised: string): Command | undefined {
  const match = REGION_COMMAND.exec(normalised);
  if (!match) return undefined;
  const named = match[1]?.trim();
  if (!named) return { kind: 'region' };
  if ((VOCABULARY.regionGlobal as readonly string[]).includes(named)) return { kind: 'region', region: 'global' };
  if ((VOCABULARY.regionNorthAmerica as readonly string[]).includes(named)) return { kind: 'region', region: 'na' };
  return { kind: 'region' };
}


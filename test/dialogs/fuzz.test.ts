import fs from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { seededRandom } from '../../bench/parsers';
import { projectRoot } from '../../src/config';
import type { Language } from '../../src/domain/language';
import { LANGUAGE_QUESTION, START_QUESTION } from '../../src/bot/dialogs/rootDialog';
import { AWAIT_CODE, AWAIT_CONFIRMATION, AWAIT_PASSWORD, EMAIL_CHECK, EMAIL_QUESTION, REGION_QUESTION } from '../../src/bot/dialogs/registrationIds';
import { type DocumentStore, EtagConflictError, type PutOptions, type Versioned } from '../../src/services/store/documentStore';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';

/**
 * Over 10,000 generated messages (a seeded generator: the same ones on every run) to every prompt
 * of the chat, in both languages, through the real dialogs and middleware: no turn fails, no
 * promise is left rejected, and every reply is a rendering of the locale files in the
 * conversation's language. Before each message the conversation is put back at the prompt under
 * test (its state, the user's and the installer's record), so every prompt gets its share.
 */

// ---------------------------------------------------------------- the locale files, as data
type Flat = Array<[string, string]>;
function localeValues(language: Language): Flat {
  const out: Flat = [];
  const walk = (node: unknown, prefix: string) => {
    if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, prefix.endsWith(':') ? prefix + k : `${prefix}.${k}`);
    else out.push([prefix, String(node)]);
  };
  const dir = path.join(projectRoot(), 'locales', language);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    walk(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), `${file.replace(/\.json$/, '')}:`);
  }
  return out;
}
const VALUES: Record<Language, Flat> = { nb: localeValues('nb'), en: localeValues('en') };
const NAMESPACES = [...new Set(VALUES.nb.map(([key]) => key.split(':')[0]!))];

/** The fixed pieces of a language's texts (between placeholders and line breaks) that the other language does not have. */
function signatures(language: Language, other: Language): string[] {
  const otherText = VALUES[other].map(([, v]) => v).join('\n');
  const pieces = VALUES[language].flatMap(([, value]) => value.split(/\{\{[^}]*\}\}|\n+/).map((p) => p.trim()));
  return [...new Set(pieces)].filter((p) => p.length >= 10 && !otherText.includes(p));
}
const SIGNATURES: Record<Language, string[]> = { nb: signatures('nb', 'en'), en: signatures('en', 'nb') };
const valueOf = (language: Language, key: string) => VALUES[language].find(([k]) => k === key)![1];
/** The language question is asked in both languages at once, by design. */
const BILINGUAL = [valueOf('nb', 'chat:language.question'), valueOf('en', 'chat:language.question')];
const RAW_KEY = new RegExp(String.raw`\b(?:${NAMESPACES.join('|')}):[A-Za-z_]+\.[A-Za-z_.]+`);
const ERROR_TEXTS = [valueOf('nb', 'chat:error.generic'), valueOf('en', 'chat:error.generic')];

/** Why a reply is not a localized rendering in the expected language(s); undefined when it is. */
function replyProblem(text: string, input: string, languages: ReadonlyArray<Language | undefined>): string | undefined {
  if (text.trim() === '') return 'empty reply';
  if (RAW_KEY.test(text)) return `raw locale key ${RAW_KEY.exec(text)![0]}`;
  // an address typed by the user is shown back to them; anything else with braces is a missing variable
  if (/\{\{|\}\}/.test(text) && !/\{\{|\}\}/.test(input)) return 'unrendered {{placeholder}}';
  if (ERROR_TEXTS.some((e) => text.includes(e))) return 'a turn failed ("something went wrong")';
  const has = (language: Language, min = 10) => SIGNATURES[language].some((s) => s.length >= min && text.includes(s));
  const bilingual = BILINGUAL.every((q) => text.includes(q));
  const fits = (language: Language | undefined) => {
    if (language === undefined) return has('nb') && has('en');
    const other: Language = language === 'nb' ? 'en' : 'nb';
    return has(language) && (bilingual || !has(other, 15));
  };
  return languages.some(fits) ? undefined : `not in ${[...new Set(languages.map((l) => l ?? 'both languages'))].join(' or ')}`;
}

// ---------------------------------------------------------------- the generator
const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const COMMANDS = [
  'help', 'hjelp', '?', 'status', 'fremdrift', 'cancel', 'avbryt', 'restart', 'start på nytt', 'language', 'språk', 'English', 'norsk',
  'agent', 'menneske', 'support', 'region', 'region europa', 'region north america', 'station', 'stasjon', 'delete my data',
  'slett dataene mine', 'slett alt', 'delete everything',
];
const LABELS = [...VALUES.nb, ...VALUES.en].filter(([, v]) => v.length < 40 && !v.includes('{{')).map(([, v]) => v);
/** What people say, as the understanding is trained on it (locales/<language>/nlu/*.json read as data). */
const UTTERANCES = ['nb', 'en'].flatMap((language) => {
  const dir = path.join(__dirname, '..', '..', 'locales', language, 'nlu');
  return fs.readdirSync(dir).flatMap((name) => Object.values(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Record<string, string[]>).flat());
});
const WORDS = [...COMMANDS, ...UTTERANCES, ...LABELS, '0', '1', '2', '3', '4', '-1', '99', '1.5'];
const JUNK_CHARS = [
  ...'abcxyzABCæøåÆØÅ0123456789 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  '\t', '\n', '\r', '\u0000', '\u00a0', '\u200b', '\u202e', '\u0301', '😀', '👩‍🔧', '\ud83d', '用', 'ß', 'İ', '\ufeff',
];
const TEMPLATES = [
  '{{email}}', '{{minutes}}', 'registration:email.question', 'chat:help.general', '<at>Bot</at> hjelp', '**fet**', '[x](javascript:alert(1))',
  '<script>alert(1)</script>', '${process.exit()}', '%s%s%s', 'null', 'undefined', '__proto__', 'constructor', '\\u0000',
];
const LONG_UNITS = ['1 ', ' ', '<', '@', '.', 'a', '1', ':', '-', '1,', 'a@', '😀'];

function wordInput(random: () => number): string {
  let word = pick(random, WORDS);
  const r = random();
  if (r < 0.2) word = word.toUpperCase();
  else if (r < 0.3) word = `  ${word}!! `;
  else if (r < 0.4) word = `${word} ${pick(random, WORDS)}`;
  else if (r < 0.45) word = word.slice(0, Math.max(1, word.length - 1));
  return word;
}

function emailInput(random: () => number): string {
  const local = Array.from({ length: int(random, 0, 12) }, () => pick(random, [...'abcz019._+-'])).join('');
  const domain = pick(random, ['firma.no', 'elektro.no', 'sparks.co.uk', 'x', 'a..b.no', 'blåbær.no', '例子.广告', 'no', '-x.no']);
  const address = `${local}@${domain}`;
  return pick(random, [
    address, `<${address}>`, `mailto:${address}`, `min e-post er ${address}`, `${address}.`, `${local}@@${domain}`, `${local} @${domain}`,
    'kåre@blåbær.no', '用户@例子.广告', `fuzz${int(random, 1, 99999)}@test.no`,
  ]);
}

function macInput(random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => pick(random, [...'0123456789abcdef'])).join('');
  const digits = '00' + hex(int(random, 0, 1) === 0 ? 10 : 14);
  const groups = (size: number, sep: string) => digits.match(new RegExp(`.{1,${size}}`, 'g'))!.join(sep);
  return pick(random, [digits, groups(4, ':'), groups(2, '-'), groups(4, '.'), `mac ${groups(2, ':')}`, hex(int(random, 1, 20)), `https://x.test/?mac=${digits}`]);
}

function coordinatesInput(random: () => number): string {
  const lat = (random() * 200 - 100).toFixed(int(random, 0, 6));
  const lng = (random() * 400 - 200).toFixed(int(random, 0, 6));
  return pick(random, [
    `${lat}, ${lng}`, `${lat.replace('.', ',')} ${lng.replace('.', ',')}`, `${lat};${lng}`, `https://maps.test/@${lat},${lng},17z`, '0, 0', `${lat}`,
  ]);
}

function junkInput(random: () => number): string {
  return Array.from({ length: int(random, 1, 60) }, () => pick(random, JUNK_CHARS)).join('');
}

function longInput(random: () => number): string {
  const length = pick(random, [1999, 2000, 2001, 5000, 20_000, 100_000]);
  const unit = pick(random, LONG_UNITS);
  const body = unit.repeat(Math.ceil(length / unit.length)).slice(0, length - 2);
  return `1${body}x`;
}

function generateInput(random: () => number): string {
  const r = random();
  if (r < 0.25) return wordInput(random);
  if (r < 0.37) return emailInput(random);
  if (r < 0.47) return macInput(random);
  if (r < 0.57) return coordinatesInput(random);
  if (r < 0.82) return junkInput(random);
  if (r < 0.87) return pick(random, TEMPLATES);
  if (r < 0.95) return longInput(random);
  return pick(random, ['', ' ', '\n', '\t\t']);
}

// ---------------------------------------------------------------- the prompts
const WORDS_OF: Record<Language, { locale: string; hi: string; yes: string; email: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'fuzz.kari@elektro.no' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'fuzz.sam@sparks.co.uk' },
};

interface Session {
  name: string;
  /** The rig's channel locale (undefined: the channel says nothing, the bot asks for the language). */
  locale: string | undefined;
  language: Language | undefined;
  /** The prompt every message is sent to (the innermost dialog's id, station split by its two questions). */
  prompt: string;
  /** Brings a new conversation to the prompt; returns the installer id when there is one. */
  reach(rig: DialogRig): Promise<string | undefined>;
}

/** Up to the one-time code step: the code is mailed, not yet typed. */
async function askForCode(rig: DialogRig, language: Language): Promise<undefined> {
  const w = WORDS_OF[language];
  await rig.say(w.hi);
  await rig.say(w.yes);
  await rig.say('1');
  await rig.say(w.email);
  await rig.say(w.yes);
  return undefined;
}

async function register(rig: DialogRig, language: Language): Promise<string> {
  const w = WORDS_OF[language];
  await askForCode(rig, language);
  await rig.say(await rig.codeFor(w.email));
  return w.email;
}

async function withStage(rig: DialogRig, language: Language, stage: 'registered' | 'active'): Promise<string> {
  const id = await register(rig, language);
  await rewriteInstaller(rig.store, id, (i) => ({ ...i, passwordHash: 'scrypt$fuzz', stage }));
  await rig.say('ok');
  return id;
}

function sessionsFor(language: Language): Session[] {
  const w = WORDS_OF[language];
  const base = { locale: w.locale, language };
  return [
    { ...base, name: `${language} start question`, prompt: START_QUESTION, reach: async (rig) => (await rig.say(w.hi), undefined) },
    { ...base, name: `${language} region`, prompt: REGION_QUESTION, reach: async (rig) => (await rig.say(w.hi), await rig.say(w.yes), undefined) },
    {
      ...base,
      name: `${language} email`,
      prompt: EMAIL_QUESTION,
      reach: async (rig) => (await rig.say(w.hi), await rig.say(w.yes), await rig.say('1'), undefined),
    },
    {
      ...base,
      name: `${language} the address shown back`,
      prompt: EMAIL_CHECK,
      reach: async (rig) => (await rig.say(w.hi), await rig.say(w.yes), await rig.say('1'), await rig.say(w.email), undefined),
    },
    {
      ...base,
      name: `${language} the address shown back with a suggested fix`,
      prompt: EMAIL_CHECK,
      reach: async (rig) => (await rig.say(w.hi), await rig.say(w.yes), await rig.say('1'), await rig.say('fuzz.kari@gmial.com'), undefined),
    },
    { ...base, name: `${language} one-time code`, prompt: AWAIT_CODE, reach: (rig) => askForCode(rig, language) },
    { ...base, name: `${language} waiting for the password`, prompt: AWAIT_PASSWORD, reach: (rig) => register(rig, language) },
    { ...base, name: `${language} waiting for the confirmation`, prompt: AWAIT_CONFIRMATION, reach: (rig) => withStage(rig, language, 'registered') },
    { ...base, name: `${language} station: identify`, prompt: 'station.identify', reach: (rig) => withStage(rig, language, 'active') },
    {
      ...base,
      name: `${language} station: position`,
      prompt: 'station.position',
      reach: async (rig) => {
        const id = await withStage(rig, language, 'active');
        await rig.say('0024:B100:0002:9F81');
        return id;
      },
    },
  ];
}

const SESSIONS: Session[] = [
  { name: 'language question (no channel locale)', locale: undefined, language: undefined, prompt: LANGUAGE_QUESTION, reach: async (rig) => (await rig.say('hei'), undefined) },
  ...sessionsFor('nb'),
  ...sessionsFor('en'),
];
const INPUTS_PER_SESSION = Number(process.env.FUZZ_N ?? 670);

// ---------------------------------------------------------------- the conversation's state in the store
interface DialogInstanceDoc {
  id: string;
  state?: { dialogs?: { dialogStack?: DialogInstanceDoc[] }; mac?: string };
}

/** The question the user is looking at, from the stored dialog stack. */
function activePrompt(conversation: Record<string, unknown> | undefined): string | undefined {
  const stack = (conversation?.DialogState as { dialogStack?: DialogInstanceDoc[] } | undefined)?.dialogStack;
  const top = stack?.[0]?.state?.dialogs?.dialogStack?.at(-1);
  if (!top) return undefined;
  if (top.id === 'station') return top.state?.mac ? 'station.position' : 'station.identify';
  return top.id;
}

class Conversation {
  private keys: string[] = [];
  private snapshot = new Map<string, unknown>();
  private sequence = 0;

  constructor(private readonly rig: DialogRig, private readonly locale: string | undefined) {}

  async send(text: string): Promise<Array<Partial<Activity>>> {
    this.sequence += 1;
    const activity = { type: 'message', text, locale: this.locale, id: `fuzz${this.sequence}` } as Partial<Activity>;
    const first = await this.rig.client.sendActivity(activity);
    const replies: Array<Partial<Activity>> = first ? [first] : [];
    for (let next = this.rig.client.getNextReply(); next; next = this.rig.client.getNextReply()) replies.push(next);
    return replies;
  }

  /** Remembers the conversation, user and installer records as they are now (at the prompt). */
  async remember(reply: Partial<Activity>, installerId: string | undefined): Promise<void> {
    const channel = reply.channelId!;
    // botbuilder's ConversationState / UserState keys, under DocumentStorage's prefix
    this.keys = [`botstate/${channel}/conversations/${reply.conversation!.id}/`, `botstate/${channel}/users/${reply.recipient!.id}/`];
    if (installerId) this.keys.push(`installer/${installerId}`);
    for (const key of this.keys) this.snapshot.set(key, (await this.rig.store.get(key))?.value);
  }

  async now(): Promise<{ prompt: string | undefined; language: Language | undefined; withSupport: boolean }> {
    const conversation = (await this.rig.store.get<Record<string, unknown>>(this.keys[0]!))?.value;
    const user = (await this.rig.store.get<{ userProfile?: { language?: Language } }>(this.keys[1]!))?.value;
    // asking for a person hands the chat to support: the bot then stays silent (until back to the bot)
    const handoff = (conversation?.conversationData as { handoff?: { mode: string } } | undefined)?.handoff;
    return { prompt: activePrompt(conversation), language: user?.userProfile?.language, withSupport: handoff !== undefined && handoff.mode !== 'email' };
  }

  async restore(): Promise<void> {
    for (const key of this.keys) {
      const value = this.snapshot.get(key);
      if (value === undefined) await this.rig.store.delete(key);
      else await this.rig.store.put(key, value);
    }
  }
}

// ---------------------------------------------------------------- the store, in memory
/**
 * Keeps the rig's documents in memory, with the same eTag rules (a stale eTag is refused, '*' or
 * none always writes, create only when absent). 10,000 turns would otherwise spend most of their
 * time in SQLite; what is under test here is the dialogs' answers, not the storage (which has its
 * own suites).
 */
function keepInMemory(store: DocumentStore): void {
  const docs = new Map<string, { etag: string; json: string }>();
  let version = 0;
  const write = (key: string, value: unknown): string => {
    const etag = `m${++version}`;
    docs.set(key, { etag, json: JSON.stringify(value) });
    return etag;
  };
  Object.assign(store, {
    get: async <T>(key: string): Promise<Versioned<T> | undefined> => {
      const doc = docs.get(key);
      return doc ? { value: JSON.parse(doc.json) as T, etag: doc.etag } : undefined;
    },
    put: async (key: string, value: unknown, options: PutOptions = {}) => {
      const current = docs.get(key);
      if (current && options.etag !== undefined && options.etag !== '*' && options.etag !== current.etag) throw new EtagConflictError(key);
      return write(key, value);
    },
    create: async (key: string, value: unknown) => (docs.has(key) ? undefined : write(key, value)),
    delete: async (key: string) => void docs.delete(key),
  } satisfies Pick<DocumentStore, 'get' | 'put' | 'create' | 'delete'>);
}

// ---------------------------------------------------------------- the test
describe('fuzz: generated messages to every prompt, both languages', () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeAll(() => process.on('unhandledRejection', onRejection));
  afterAll(() => process.off('unhandledRejection', onRejection));

  it(`${SESSIONS.length * INPUTS_PER_SESSION} messages: no failed turn, no unhandled rejection, every reply localized`, async () => {
    if (!process.env.FUZZ_N) expect(SESSIONS.length * INPUTS_PER_SESSION).toBeGreaterThanOrEqual(10_000);
    const random = seededRandom(20261124);
    const failures: string[] = [];
    const sent = new Map<string, number>();

    for (const session of SESSIONS) {
      // one user sends hundreds of messages a minute here: the message limit (tested elsewhere) would answer most of them
      const rig = await createDialogRig(session.locale, 'test', { RATE_LIMITS: 'off' });
      keepInMemory(rig.store);
      try {
        const installerId = await session.reach(rig);
        const conversation = new Conversation(rig, session.locale);
        // "?" (help) asks the prompt again and changes nothing; its reply tells the conversation's and user's ids
        const [probe] = await conversation.send('?');
        await conversation.remember(probe!, installerId);
        let state = await conversation.now();
        expect({ session: session.name, prompt: state.prompt }).toEqual({ session: session.name, prompt: session.prompt });

        for (let i = 0; i < INPUTS_PER_SESSION; i++) {
          const input = generateInput(random);
          const before = state.language;
          let replies: Array<Partial<Activity>>;
          try {
            replies = await conversation.send(input);
          } catch (error) {
            failures.push(`${session.name}: ${JSON.stringify(input.slice(0, 80))} threw ${(error as Error).message}`);
            break;
          }
          sent.set(session.name, (sent.get(session.name) ?? 0) + 1);
          state = await conversation.now();
          const languages = [before, state.language];
          // the hand-off event to the channel (asking for a person) is no message to the user
          replies = replies.filter((reply) => reply.type !== 'event');
          if (replies.length === 0) failures.push(`${session.name}: ${JSON.stringify(input.slice(0, 80))} got no reply`);
          for (const reply of replies) {
            const problem = replyProblem(reply.text ?? '', input, languages);
            if (problem) failures.push(`${session.name}: ${JSON.stringify(input.slice(0, 80))} → ${problem}: ${JSON.stringify((reply.text ?? '').slice(0, 200))}`);
          }
          if (state.prompt !== session.prompt || state.language !== session.language || state.withSupport) {
            await conversation.restore();
            state = await conversation.now();
          }
        }
      } finally {
        await rig.close();
      }
    }

    expect(failures.slice(0, 20)).toEqual([]);
    expect(rejections).toEqual([]);
    for (const session of SESSIONS) expect({ session: session.name, sent: sent.get(session.name) }).toEqual({ session: session.name, sent: INPUTS_PER_SESSION });
  }, 300_000);
});

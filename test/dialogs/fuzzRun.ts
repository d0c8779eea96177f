/**
 * The fuzz loop, run by test/dialogs/fuzz.test.ts in a child process started with
 * `--unhandled-rejections=strict`: a promise left rejected anywhere kills this process (inside
 * jest a process 'unhandledRejection' listener is never called). Prints one line
 * `fuzz-report <json>` (FuzzReport) and exits 0 when the loop ran to its end.
 *
 * FUZZ_N: messages per session. FUZZ_ONLY: run only sessions whose name contains it.
 * FUZZ_PROBE_REJECTION=1: leaves one promise rejected (the test proves the child then fails).
 */
import type { Activity } from 'botbuilder';
import { seededRandom } from '../../bench/parsers';
import type { Language } from '../../src/domain/language';
import { MAX_MESSAGE_LENGTH } from '../../src/domain/input';
import { type DocumentStore, EtagConflictError, type PutOptions, type Versioned } from '../../src/services/store/documentStore';
import type { Understander } from '../../src/services/understanding/understander';
import { ComponentDialog, type Dialog, WaterfallDialog } from '../../src/bot/dialogs/dialogKit';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';
import { LocalizedReplies } from '../helpers/localizedReply';
import { generateInput } from './fuzzInputs';
import { activePrompt, ANSWERS, SESSIONS, type Session } from './fuzzSessions';
import { REGIONS } from '../../src/domain/journey';
import { countryName, regionCountries } from '../../src/domain/profileCountries';

/** What the chat says when a turn failed. */
const FAILED_TURN = [localeText('nb', 'chat:error.generic'), localeText('en', 'chat:error.generic')];

export interface FuzzReport {
  /** Messages sent, by session name. */
  sent: Record<string, number>;
  failures: string[];
  /** Every dialog of the root that asks something (containers and waterfalls left out). */
  dialogIds: string[];
  /** The longest text the understanding was given. */
  longestUnderstood: number;
  ms: number;
}

/** The rig's documents in memory, with the same eTag rules: what is under test is the dialogs' answers, not the storage. */
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
    const handoff = (conversation?.conversationData as { handoff?: { mode: string } } | undefined)?.handoff;
    return { prompt: activePrompt(conversation), language: user?.userProfile?.language, withSupport: handoff !== undefined && handoff.mode !== 'email' };
  }

  /** Puts the conversation back at the prompt under test. */
  async restore(): Promise<void> {
    for (const key of this.keys) {
      const value = this.snapshot.get(key);
      if (value === undefined) await this.rig.store.delete(key);
      else await this.rig.store.put(key, value);
    }
  }
}

/** The dialogs that ask something, found by walking the root's dialog sets. */
function promptDialogIds(root: Dialog): string[] {
  const ids: string[] = [];
  const walk = (dialog: Dialog) => {
    if (dialog instanceof ComponentDialog) for (const inner of dialog.dialogs.getDialogs()) walk(inner);
    else if (!(dialog instanceof WaterfallDialog)) ids.push(dialog.id);
  };
  walk(root);
  return ids;
}

async function runSession(session: Session, n: number, random: () => number, report: FuzzReport, replies: LocalizedReplies): Promise<void> {
  const fail = (what: string): void => void report.failures.push(`${session.name}: ${what}`);
  const watch = (understander: Understander): Understander => ({
    understand: (text, expectation, language) => {
      report.longestUnderstood = Math.max(report.longestUnderstood, text.length);
      return understander.understand(text, expectation, language);
    },
  });
  // one user sends hundreds of messages a minute here: the message limit (tested elsewhere) would answer most of them
  const rig = await createDialogRig(session.locale, session.channel, { RATE_LIMITS: 'off' }, watch);
  keepInMemory(rig.store);
  if (report.dialogIds.length === 0) report.dialogIds = promptDialogIds(rig.runtime.root as unknown as Dialog);
  try {
    const installerId = await session.reach(rig);
    const conversation = new Conversation(rig, session.locale);
    // "?" (help) asks the prompt again and changes nothing; its reply tells the conversation's and user's ids
    const [probe] = await conversation.send('?');
    if (!probe) return fail('no reply to "?" while reaching the prompt');
    if (session.thenSay) await conversation.send(session.thenSay);
    await conversation.remember(probe, installerId);
    const reached = await conversation.now();
    if (reached.prompt !== session.prompt || reached.withSupport !== (session.withSupport ?? false)) {
      return fail(`not at the prompt: ${JSON.stringify(reached)}`);
    }
    for (let i = 0; i < n; i++) {
      const input = generateInput(random);
      const before = (await conversation.now()).language;
      let got: Array<Partial<Activity>>;
      try {
        got = await conversation.send(input);
      } catch (error) {
        fail(`${JSON.stringify(input.slice(0, 80))} threw ${(error as Error).message}`);
        break;
      }
      report.sent[session.name] = (report.sent[session.name] ?? 0) + 1;
      const after = (await conversation.now()).language;
      const languages = [...new Set([before, after])].map((l) => l ?? []).flat();
      const expected: Language[] = languages.length > 0 && session.language !== undefined ? languages : ['nb', 'en'];
      // the hand-off event to the channel (asking for a person) is no message to the user
      got = got.filter((reply) => reply.type !== 'event' && reply.type !== 'typing');
      if (got.length === 0 && !session.withSupport) fail(`${JSON.stringify(input.slice(0, 80))} got no reply`);
      for (const reply of got) {
        if (FAILED_TURN.some((text) => reply.text?.includes(text))) fail(`${JSON.stringify(input.slice(0, 80))} → a failed turn ("something went wrong")`);
        for (const problem of replies.problems(reply, input, expected)) fail(`${JSON.stringify(input.slice(0, 80))} → ${problem}`);
      }
      await conversation.restore();
    }
  } finally {
    await rig.close();
  }
}

/** Besides the locale texts, the bot shows country names (the profile's country choices) and what the user typed at earlier questions. */
function shownData(): Record<Language, string[]> {
  const countries = (language: Language) => REGIONS.flatMap((region) => regionCountries(region, language).map((code) => countryName(code, language)));
  const typed = (language: Language) => Object.values(ANSWERS[language]);
  return { nb: [...countries('nb'), ...typed('nb')], en: [...countries('en'), ...typed('en')] };
}

async function main(): Promise<void> {
  const started = Date.now();
  const n = Number(process.env.FUZZ_N ?? 210);
  const only = process.env.FUZZ_ONLY;
  const random = seededRandom(20261124);
  const replies = new LocalizedReplies(shownData());
  const report: FuzzReport = { sent: {}, failures: [], dialogIds: [], longestUnderstood: 0, ms: 0 };
  for (const session of SESSIONS.filter((s) => !only || s.name.includes(only))) {
    await runSession(session, n, random, report, replies);
    if (process.env.FUZZ_PROBE_REJECTION === '1') void Promise.reject(new Error('a promise nobody handles (the probe)'));
  }
  // a promise rejected by the last turn is reported after the microtasks run: give it that chance before the report
  await new Promise((resolve) => setTimeout(resolve, 100));
  report.ms = Date.now() - started;
  if (report.longestUnderstood > MAX_MESSAGE_LENGTH) report.failures.push(`the understanding was given ${report.longestUnderstood} characters (over the cap)`);
  process.stdout.write(`fuzz-report ${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`fuzz run failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);

import type { Language } from '../../src/domain/language';
import type { Installer } from '../../src/domain/installer';
import { PROFILE_FIELD_IDS, type ProfileFieldId } from '../../src/domain/profileFields';
import { AWAIT_INVITATION } from '../../src/bot/dialogs/awaitInvitationDialog';
import { COURSES_DIALOG } from '../../src/bot/dialogs/coursesDialog';
import { LANGUAGE_QUESTION, START_QUESTION } from '../../src/bot/dialogs/rootDialog';
import { AWAIT_CODE, AWAIT_CONFIRMATION, AWAIT_PASSWORD, CONFIRM_OPTIONS, EMAIL_CHECK, EMAIL_QUESTION, REGION_QUESTION } from '../../src/bot/dialogs/registrationIds';
import type { DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';

/**
 * The prompts the fuzz test sends its messages to: one session per prompt (and language), each
 * with the way a new conversation gets there. A prompt is named by the innermost dialog's id; the
 * profile step by its field or phase ("profile.phone", "profile.summary"), the station step by its
 * question ("station.identify", "station.position").
 */
export interface Session {
  name: string;
  /** The rig's channel locale (undefined: the channel says nothing, the bot asks for the language). */
  locale: string | undefined;
  language: Language | undefined;
  /** 'test' is text only; 'webchat' has suggested actions and cards (their texts are checked too). */
  channel: 'test' | 'webchat';
  prompt: string;
  /** The conversation is with support (waiting in the queue): the bot is silent to most messages. */
  withSupport?: boolean;
  /** Said once the conversation's ids are known (after a "?" at the prompt): what leaves the prompt open but changes the chat. */
  thenSay?: string;
  /** Brings a new conversation to the prompt; returns the installer id when there is one. */
  reach(rig: DialogRig): Promise<string | undefined>;
}

const WORDS_OF: Record<Language, { locale: string; hi: string; yes: string; email: string; human: string; didntGet: string; change: string; deleteData: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'fuzz.kari@elektro.no', human: 'menneske', didntGet: 'jeg har ikke fått e-posten', change: 'endre', deleteData: 'slett dataene mine' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'fuzz.sam@sparks.co.uk', human: 'agent', didntGet: "I didn't get the email", change: 'change', deleteData: 'delete my data' },
};

/** What a Norwegian installer answers to each profile question (the fields before the one a session asks are answered so). */
export const ANSWERS: Record<Language, Record<ProfileFieldId, string>> = {
  nb: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro Nord AS', country: 'Norge', postalCode: '0150', phone: '91234567', language: 'norsk' },
  en: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro Nord AS', country: 'Norway', postalCode: '0150', phone: '91234567', language: 'Norwegian' },
};

async function say(rig: DialogRig, ...texts: string[]): Promise<void> {
  for (const text of texts) await rig.say(text);
}

/** Up to the one-time code step: the code is mailed, not yet typed. */
async function askForCode(rig: DialogRig, language: Language): Promise<undefined> {
  const w = WORDS_OF[language];
  await say(rig, w.hi, w.yes, '1', w.email, w.yes);
  return undefined;
}

async function register(rig: DialogRig, language: Language): Promise<string> {
  const w = WORDS_OF[language];
  await askForCode(rig, language);
  await rig.say(await rig.codeFor(w.email));
  return w.email;
}

/** Registered, then put at a later stage (as the later steps would), and one message to let the root route there. */
async function atStage(rig: DialogRig, language: Language, stage: Installer['stage'], change: (i: Installer) => Installer = (i) => i): Promise<string> {
  const id = await register(rig, language);
  await rewriteInstaller(rig.store, id, (i) => change({ ...i, passwordHash: 'scrypt$fuzz', stage }));
  await rig.say('ok');
  return id;
}

/** The profile step asking `field` (the fields before it answered in the chat) or, with none, at the summary. */
function atProfile(language: Language, field: ProfileFieldId | undefined): (rig: DialogRig) => Promise<string> {
  const before = field ? PROFILE_FIELD_IDS.slice(0, PROFILE_FIELD_IDS.indexOf(field)) : PROFILE_FIELD_IDS;
  return async (rig) => {
    const id = await atStage(rig, language, 'confirmed');
    await say(rig, ...before.map((id) => ANSWERS[language][id]));
    return id;
  };
}

function sessionsFor(language: Language): Session[] {
  const w = WORDS_OF[language];
  const base = { locale: w.locale, language, channel: 'test' as const };
  const session = (name: string, prompt: string, reach: Session['reach'], more: Partial<Session> = {}): Session => ({ ...base, name: `${language} ${name}`, prompt, reach, ...more });
  return [
    session('start question', START_QUESTION, async (rig) => (await say(rig, w.hi), undefined)),
    session('start question, web chat (suggested actions)', START_QUESTION, async (rig) => (await say(rig, w.hi), undefined), { channel: 'webchat' }),
    session('waiting for support (the queue)', START_QUESTION, async (rig) => (await say(rig, w.hi), undefined), { withSupport: true, thenSay: w.human }),
    session('"delete my data" asked, not yet confirmed', START_QUESTION, async (rig) => (await say(rig, w.hi), undefined), { thenSay: w.deleteData }),
    session('region', REGION_QUESTION, async (rig) => (await say(rig, w.hi, w.yes), undefined)),
    session('email', EMAIL_QUESTION, async (rig) => (await say(rig, w.hi, w.yes, '1'), undefined)),
    session('the address shown back', EMAIL_CHECK, async (rig) => (await say(rig, w.hi, w.yes, '1', w.email), undefined)),
    session('the address shown back with a suggested fix', EMAIL_CHECK, async (rig) => (await say(rig, w.hi, w.yes, '1', 'fuzz.kari@gmial.com'), undefined)),
    session('one-time code', AWAIT_CODE, (rig) => askForCode(rig, language)),
    session('waiting for the password', AWAIT_PASSWORD, (rig) => register(rig, language)),
    session('waiting for the confirmation', AWAIT_CONFIRMATION, (rig) => atStage(rig, language, 'registered')),
    session('the confirmation options ("I didn\'t get it")', CONFIRM_OPTIONS, async (rig) => {
      const id = await atStage(rig, language, 'registered');
      await rig.say(w.didntGet);
      return id;
    }),
    ...PROFILE_FIELD_IDS.map((field) => session(`profile: ${field}`, `profile.${field}`, atProfile(language, field))),
    session('profile: the first name, on the web chat form', 'profile.firstName', atProfile(language, 'firstName'), { channel: 'webchat' }),
    session('profile: the summary (save or change)', 'profile.summary', atProfile(language, undefined)),
    session('profile: which field to change', 'profile.pickField', async (rig) => {
      const id = await atProfile(language, undefined)(rig);
      await rig.say(w.change);
      return id;
    }),
    session('courses being prepared', COURSES_DIALOG, (rig) => atStage(rig, language, 'profile_complete')),
    session('the course list', COURSES_DIALOG, async (rig) => {
      const id = await atStage(rig, language, 'profile_complete');
      await rig.services.courses.afterProfileSaved(id);
      await rig.say('ok');
      return id;
    }),
    session('waiting for the invitation', AWAIT_INVITATION, (rig) => atStage(rig, language, 'certified')),
    session('station: identify', 'station.identify', (rig) => atStage(rig, language, 'active')),
    session('station: position', 'station.position', async (rig) => {
      const id = await atStage(rig, language, 'active');
      await rig.say('0024:B100:0002:9F81');
      return id;
    }),
  ];
}

export const SESSIONS: readonly Session[] = [
  { name: 'language question (no channel locale)', locale: undefined, language: undefined, channel: 'test', prompt: LANGUAGE_QUESTION, reach: async (rig) => (await rig.say('hei'), undefined) },
  ...sessionsFor('nb'),
  ...sessionsFor('en'),
];

interface DialogInstanceDoc {
  id: string;
  state?: { dialogs?: { dialogStack?: DialogInstanceDoc[] }; mac?: string; phase?: string; field?: string };
}

/** The prompt the user is looking at, from the stored dialog stack (named as the sessions name it). */
export function activePrompt(conversation: Record<string, unknown> | undefined): string | undefined {
  const stack = (conversation?.DialogState as { dialogStack?: DialogInstanceDoc[] } | undefined)?.dialogStack;
  const top = stack?.[0]?.state?.dialogs?.dialogStack?.at(-1);
  if (!top) return undefined;
  if (top.id === 'station') return top.state?.mac ? 'station.position' : 'station.identify';
  if (top.id === 'profile') return `profile.${top.state?.phase === 'fields' ? (top.state.field ?? PROFILE_FIELD_IDS[0]) : top.state?.phase}`;
  return top.id;
}

/** The prompts a dialog id stands for (the profile's fields and phases, the station's two questions). */
export function promptsOf(dialogId: string): string[] {
  if (dialogId === 'profile') return [...PROFILE_FIELD_IDS.map((f) => `profile.${f}`), 'profile.summary', 'profile.pickField'];
  if (dialogId === 'station') return ['station.identify', 'station.position'];
  return [dialogId];
}

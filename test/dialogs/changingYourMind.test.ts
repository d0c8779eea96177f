import path from 'node:path';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText, withNumberedChoices } from '../helpers/localeText';
import { localMails, mailRecipient } from '../helpers/mailCodes';
import { dumpStore } from '../helpers/storeDump';

/**
 * "Changing your mind" (issue 7): the address is shown back before anything is sent to it, a
 * misspelt provider gets a suggested fix, and a wrong address is corrected at any step before the
 * confirmation — the old registration is replaced and leaves nothing behind. Typed the way a
 * tradesman on a phone types: no æ/ø/å, typos, sentences.
 */
interface Words {
  locale: string;
  hi: string;
  yes: string;
  no: string;
  cancel: string;
  status: string;
  email: string;
  /** "wrong email" as people type it. */
  wrongEmail: string[];
  /** A sentence with the new address in it. */
  sentence: (address: string) => string;
  /** A correction typed straight away at a later step. */
  oops: (address: string) => string;
  right: string;
  other: string;
  /** Yes and no the way people answer "is this right?" (found playing it through: plain "ja"/"yes" only was too strict). */
  itIsRight: string;
  itIsWrong: string;
}

const WORDS: Record<Language, Words> = {
  nb: {
    locale: 'nb-NO',
    hi: 'hei',
    yes: 'ja',
    no: 'nei',
    cancel: 'avbryt',
    status: 'fremdrift',
    email: 'Kari.Montor@Elektro.NO',
    wrongEmail: ['feil epost', 'feil e-post', 'endre e-post', 'oi, feil mailadresse'],
    sentence: (a) => `eposten min er ${a}`,
    oops: (a) => `oi det skal vaere ${a}`,
    right: 'kari.riktig@elektro.no',
    other: 'kari.tredje@elektro.no',
    itIsRight: 'ja det stemmer',
    itIsWrong: 'nei det er feil',
  },
  en: {
    locale: 'en-GB',
    hi: 'hello',
    yes: 'yes',
    no: 'no',
    cancel: 'cancel',
    status: 'status',
    email: 'Sam.Fitter@Sparks.CO.UK',
    wrongEmail: ['wrong email', 'change my email', 'oops wrong e-mail', 'typo in my email address'],
    sentence: (a) => `my email is ${a}`,
    oops: (a) => `oops it should be ${a}`,
    right: 'sam.right@sparks.co.uk',
    other: 'sam.third@sparks.co.uk',
    itIsRight: "yes that's right",
    itIsWrong: "no that's wrong",
  },
};

describe.each<Language>(['nb', 'en'])('changing your mind about the address, in %s', (language) => {
  const w = WORDS[language];
  const text = (key: string, vars?: Record<string, string | number>) => localeText(language, key, vars);
  /** What a text-only channel shows: the text with its choices numbered below. */
  const codeAsk = (key: string, vars?: Record<string, string | number>) =>
    withNumberedChoices(language, text(key, vars), ['registration:code.newCodeButton', 'registration:code.otherAddressButton']);
  const checkInbox = (email: string) => withNumberedChoices(language, text('registration:confirm.checkInbox', { email }), ['registration:confirm.didntGetButton']);
  const typed = w.email.replace(/@(.*)$/, (_m, d: string) => '@' + d.toLowerCase());
  const oldId = w.email.toLowerCase();
  const token = (reply: string) => decodeURIComponent(/token=([^\s)"]+)/.exec(reply)![1]!);
  let rig: DialogRig;

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  /** The address shown back: the one reply is the question "is X right?". */
  async function shownBack(said: string, address: string): Promise<void> {
    const replies = await rig.say(said);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(text('registration:email.check.question', { email: address }));
  }

  async function atEmailQuestion(): Promise<void> {
    await rig.say(w.hi);
    await rig.say(w.yes);
    expect(await rig.say('1')).toEqual([text('registration:email.question')]);
  }

  /** Registers with the first address and returns the password page link token. */
  async function atPasswordStep(): Promise<string> {
    await atEmailQuestion();
    await shownBack(w.email, typed);
    expect(await rig.say(w.yes)).toEqual([codeAsk('registration:code.sent', { email: typed, minutes: 10 })]);
    const [prompt] = await rig.say(await rig.codeFor(typed));
    expect(prompt).toContain(text('registration:password.prompt', { minutes: 30 }));
    return token(prompt!);
  }

  /**
   * Everything in the rig's store, lower-cased, once the queued work is done (the LMS user's address
   * change keeps the old address until it has run: the rig starts no job worker).
   */
  async function storeDump(): Promise<string> {
    await rig.services.jobs.runDue();
    await rig.services.mailer.flush();
    return (await dumpStore(`sqlite://${path.join(rig.dataDir, 'db.sqlite')}`)).toLowerCase();
  }

  it.each([0, 1, 2, 3])('at the password step, "wrong email" (variant %i): the new address is shown back, proved, and replaces the old registration, which leaves nothing behind', async (variant) => {
    const oldLink = await atPasswordStep();
    expect(await rig.say(w.wrongEmail[variant]!)).toEqual([text('registration:confirm.newEmailQuestion')]);
    // nothing changes until the new address is proved
    expect(await rig.services.tokens.check(oldLink, 'password')).toEqual({ ok: true, installerId: oldId });
    await shownBack(w.sentence(w.right), w.right);
    expect(await rig.say(w.yes)).toEqual([codeAsk('registration:code.sent', { email: w.right, minutes: 10 })]);
    const replaced = await rig.say(await rig.codeFor(w.right));
    expect(replaced[0]).toBe(text('registration:email.replaced', { email: w.right }));
    expect(replaced[1]).toContain(text('registration:password.prompt', { minutes: 30 }));
    expect(replaced).toHaveLength(2);

    // the page that was open says it was replaced; the new link works
    expect(await rig.services.tokens.check(oldLink, 'password')).toEqual({ ok: false, reason: 'replaced' });
    expect(await rig.services.tokens.check(token(replaced[1]!), 'password')).toEqual({ ok: true, installerId: w.right });
    expect(await rig.services.installers.get(w.right)).toMatchObject({ email: w.right, stage: 'new', region: 'global', language });
    expect(await rig.services.installers.get(oldId)).toBeUndefined();
    expect(await rig.services.references.linked(oldId)).toEqual([]);
    expect(await rig.services.references.linked(w.right)).toHaveLength(1);

    // nothing in the store names the old address: no record, link, code log or chat link
    const dump = await storeDump();
    expect(dump).toContain(w.right);
    expect(dump).not.toContain(oldId);
    expect(dump).not.toContain(oldId.split('@')[0]);
    const [status] = await rig.say(w.status);
    expect(status).toContain(`➡️ **${text('journey:stage.new')}**`);
  });

  it('at the password step, the right address typed straight away ("oops it should be …") is shown back first; the region is kept', async () => {
    const oldLink = await atPasswordStep();
    await rig.say(`${text('chat:region.commandWord')} ${text('registration:region.na')}`);
    expect((await rig.services.installers.get(oldId))!.region).toBe('na');
    await shownBack(w.oops(w.right), w.right);
    expect(await rig.say(w.yes)).toEqual([codeAsk('registration:code.sent', { email: w.right, minutes: 10 })]);
    const replaced = await rig.say(await rig.codeFor(w.right));
    expect(replaced[0]).toBe(text('registration:email.replaced', { email: w.right }));
    expect(await rig.services.tokens.check(oldLink, 'password')).toEqual({ ok: false, reason: 'replaced' });
    expect(await rig.services.installers.get(w.right)).toMatchObject({ region: 'na' });
  });

  it('the region can be seen and changed while the address is being checked, before anything is registered', async () => {
    await atEmailQuestion();
    await shownBack(w.email, typed);
    const change = `${text('chat:region.commandWord')} ${text('registration:region.na')}`;
    expect(await rig.say(text('chat:region.commandWord'))).toEqual([text('chat:region.chosen', { region: text('registration:region.global'), change })]);
    expect(await rig.say(language === 'nb' ? 'feil region' : 'wrong region')).toEqual([text('chat:region.chosen', { region: text('registration:region.global'), change })]);
    const changed = await rig.say(change);
    expect(changed[0]).toBe(text('chat:region.changed', { region: text('registration:region.na') }));
    expect(changed[1]).toContain(text('registration:email.check.question', { email: typed }));
    await rig.say(w.yes);
    await rig.say(await rig.codeFor(typed));
    expect(await rig.services.installers.get(oldId)).toMatchObject({ region: 'na' });
  });

  it('the region changed while a corrected address is being proved goes with the new registration', async () => {
    await atPasswordStep();
    await rig.say(w.wrongEmail[2]!);
    await shownBack(w.right, w.right);
    await rig.say(`${text('chat:region.commandWord')} ${text('registration:region.na')}`);
    await rig.say(w.yes);
    await rig.say(await rig.codeFor(w.right));
    expect(await rig.services.installers.get(w.right)).toMatchObject({ region: 'na' });
  });

  it('at the password step, the same address typed again is no change: the link stays', async () => {
    const link = await atPasswordStep();
    expect(await rig.say(w.email.toLowerCase())).toEqual([text('registration:password.reminder')]);
    expect(await rig.services.tokens.check(link, 'password')).toEqual({ ok: true, installerId: oldId });
  });

  it('"cancel" while correcting the address keeps the registration and its open page as they were', async () => {
    const link = await atPasswordStep();
    await rig.say(w.wrongEmail[0]!);
    await shownBack(w.right, w.right);
    await rig.say(w.yes);
    expect(await rig.say(w.cancel)).toEqual([text('chat:command.cancelled')]);
    expect(await rig.services.installers.get(oldId)).toMatchObject({ stage: 'new' });
    expect(await rig.services.installers.get(w.right)).toBeUndefined();
    expect(await rig.services.tokens.check(link, 'password')).toEqual({ ok: true, installerId: oldId });
  });

  it('at the confirmation step, "wrong email" typed straight away: the password is kept, the confirmation goes to the new address, the old link says replaced', async () => {
    await atPasswordStep();
    await rig.services.registration.setPassword(oldId, 'Ladestasjon-Bergen-2026!');
    await rig.services.mailer.flush();
    const oldMail = (await localMails(rig.dataDir)).at(-1)!;
    const oldConfirm = decodeURIComponent(/token=([^\s)"<>]+)/.exec(oldMail.text ?? '')![1]!);
    expect(await rig.say('ok')).toEqual([text('registration:password.saved'), checkInbox(typed)]);

    expect(await rig.say(w.wrongEmail[1]!)).toEqual([text('registration:confirm.newEmailQuestion')]);
    await shownBack(w.right, w.right);
    await rig.say(w.yes);
    const replaced = await rig.say(await rig.codeFor(w.right));
    expect(replaced).toEqual([text('registration:email.replaced', { email: w.right }), checkInbox(w.right)]);
    expect(await rig.services.tokens.check(oldConfirm, 'confirm')).toEqual({ ok: false, reason: 'replaced' });
    expect(await rig.services.installers.get(w.right)).toMatchObject({ stage: 'registered', passwordHash: expect.any(String) });
    await rig.services.mailer.flush();
    const newMail = (await localMails(rig.dataDir)).at(-1)!;
    expect(mailRecipient(newMail)).toBe(w.right);
    expect(newMail.subject).toBe(text('email:confirmation.subject'));
    expect(await storeDump()).not.toContain(oldId);
  });

  it('at the confirmation step, a new address typed instead of anything else is shown back', async () => {
    await atPasswordStep();
    await rig.services.registration.setPassword(oldId, 'Ladestasjon-Bergen-2026!');
    await rig.say('ok');
    await shownBack(w.oops(w.right), w.right);
  });

  it('"is this right?" answered in a few words: no, then yes', async () => {
    await atEmailQuestion();
    await shownBack(w.sentence('ola@firma.no'), 'ola@firma.no');
    expect(await rig.say(w.itIsWrong)).toEqual([text('registration:email.retype')]);
    await shownBack('ola.h@firma.no', 'ola.h@firma.no');
    expect(await rig.say(w.itIsRight)).toEqual([codeAsk('registration:code.sent', { email: 'ola.h@firma.no', minutes: 10 })]);
  });

  it('a misspelt provider gets a suggested fix: "yes" takes the suggestion', async () => {
    await atEmailQuestion();
    const [offer] = await rig.say('kari@gmial.com');
    expect(offer).toContain(text('registration:email.check.suggestion', { suggestion: 'kari@gmail.com', email: 'kari@gmial.com' }));
    expect(await rig.say(w.yes)).toEqual([codeAsk('registration:code.sent', { email: 'kari@gmail.com', minutes: 10 })]);
  });

  it('a misspelt provider gets a suggested fix: the button with the address as typed keeps it', async () => {
    await atEmailQuestion();
    const [offer] = await rig.say('ola@hotmial.no');
    expect(offer).toContain(text('registration:email.check.suggestion', { suggestion: 'ola@hotmail.no', email: 'ola@hotmial.no' }));
    // a button sends its label: the address as typed
    expect(await rig.say(text('registration:email.check.button', { email: 'ola@hotmial.no' }))).toEqual([
      codeAsk('registration:code.sent', { email: 'ola@hotmial.no', minutes: 10 }),
    ]);
  });

  it('a misspelt provider: the suggestion typed, or "no" and the address typed again, both work', async () => {
    await atEmailQuestion();
    const [offer] = await rig.say('ola@outlok.com');
    expect(offer).toContain(text('registration:email.check.suggestion', { suggestion: 'ola@outlook.com', email: 'ola@outlok.com' }));
    expect(await rig.say(w.no)).toEqual([text('registration:email.retype')]);
    const [again] = await rig.say('ola@outlok.com');
    expect(again).toContain(text('registration:email.check.suggestion', { suggestion: 'ola@outlook.com', email: 'ola@outlok.com' }));
    expect(await rig.say('ola@outlook.com')).toEqual([codeAsk('registration:code.sent', { email: 'ola@outlook.com', minutes: 10 })]);
  });

  it('an address inside a sentence is only taken after it is shown back; "no" asks again; another address typed is shown back in turn', async () => {
    await atEmailQuestion();
    await shownBack(w.sentence('ola@firma.no'), 'ola@firma.no');
    expect(await rig.say(w.no)).toEqual([text('registration:email.retype')]);
    await shownBack(w.sentence('ola@firma.no'), 'ola@firma.no');
    await shownBack(w.oops(w.other), w.other);
    // an answer that is neither yes, no nor an address: the question again, with what to do
    // (the reason and the question again, in one message)
    const unclear = await rig.say('hmm');
    expect(unclear).toHaveLength(1);
    expect(unclear[0]!.startsWith(`${text('registration:email.check.unclear')}\n\n${text('registration:email.check.question', { email: w.other })}`)).toBe(true);
    expect(await rig.say(w.yes)).toEqual([codeAsk('registration:code.sent', { email: w.other, minutes: 10 })]);
    expect(await rig.services.installers.get('ola@firma.no')).toBeUndefined();
  });

  it("\"'; DROP TABLE users; --@firma.no\" is refused as an invalid address: nothing is shown back, sent or registered", async () => {
    await atEmailQuestion();
    await rig.services.mailer.flush();
    const mailsBefore = (await localMails(rig.dataDir)).length;
    expect(await rig.say("'; DROP TABLE users; --@firma.no")).toEqual([
      `${text('registration:email.problem.invalid_characters')}\n\n${text('registration:email.question')}`,
    ]);
    await rig.services.mailer.flush();
    expect(await localMails(rig.dataDir)).toHaveLength(mailsBefore);
    expect(await storeDump()).not.toContain('firma.no');
  });

  it('at the code step, "wrong email" goes back to the address question', async () => {
    await atEmailQuestion();
    await shownBack(w.email, typed);
    await rig.say(w.yes);
    expect(await rig.say(w.wrongEmail[3]!)).toEqual([text('registration:email.question')]);
  });
});

import { maskEmail } from '../../src/domain/email';
import { linkTokenKeys } from '../../src/services/tokens/hmacLinkTokens';
import type { Language } from '../../src/domain/language';
import { RESENDS_PER_HOUR } from '../../src/services/installers/registrationService';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText, withNumberedChoices } from '../helpers/localeText';
import { localMails, mailRecipient } from '../helpers/mailCodes';

interface Words {
  locale: string;
  hi: string;
  yes: string;
  help: string;
  didntGet: string;
  newLink: string;
  email: string;
  /** Questions about the chat's own registration, as people ask them (found playing it through). */
  whyEmail: string;
  codeWait: string;
  /** The address as it is said or dictated. */
  dictated: string;
}

const WORDS: Record<Language, Words> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', help: 'hjelp', didntGet: 'fikk ikke e-post', newLink: 'ny lenke', email: 'Kari.Montor@Elektro.NO',
    whyEmail: 'hvorfor trenger dere mailen min', codeWait: 'hvor lang tid tar det før koden kommer?', dictated: 'Kari punktum Montor krøllalfa Elektro punktum NO' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', help: 'help', didntGet: "didn't get the email", newLink: 'new link', email: 'Sam.Fitter@Sparks.CO.UK',
    whyEmail: 'why do u need my email', codeWait: 'how long does the code take', dictated: 'Sam dot Fitter at Sparks dot CO dot UK' },
};

describe.each<Language>(['nb', 'en'])('registration dialogs in %s (text only)', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  const tr = (key: string, vars?: Record<string, string | number>) => rig.translator.t(language, key, vars);
  const normalised = w.email.replace(/@(.*)$/, (_m, d: string) => '@' + d.toLowerCase());
  const id = w.email.toLowerCase();

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  const text = (key: string, vars?: Record<string, string | number>) => localeText(language, key, vars);
  /** The code step's prompt as a text-only channel shows it: "new code" and "other address" numbered below. */
  const codeAsk = (key: string, vars?: Record<string, string | number>) =>
    withNumberedChoices(language, text(key, vars), ['registration:code.newCodeButton', 'registration:code.otherAddressButton']);
  /** "Check your inbox" with its "didn't get the email" choice, as a text-only channel shows it. */
  const checkInbox = (email: string) => withNumberedChoices(language, text('registration:confirm.checkInbox', { email }), ['registration:confirm.didntGetButton']);

  /** Types the address and sees it shown back: the question that asks whether it is right. */
  async function typeAddress(typed = w.email, address = normalised): Promise<void> {
    const shown = await rig.say(typed);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain(text('registration:email.check.question', { email: address }));
  }

  /** Types the address, says it is right, is told a code went there: the code from the mail is next. */
  async function confirmAddress(typed = w.email, address = normalised): Promise<void> {
    await typeAddress(typed, address);
    expect(await rig.say(w.yes)).toEqual([codeAsk('registration:code.sent', { email: address, minutes: 10 })]);
  }

  /** Types the address, confirms it, and types the code from the mail: returns the replies to the code. */
  async function proveAddress(typed = w.email, address = normalised): Promise<string[]> {
    await confirmAddress(typed, address);
    return rig.say(await rig.codeFor(address));
  }

  /** Greeting → start → region → email → code: returns the password prompt. */
  async function registerUntilPassword(region = '1'): Promise<string> {
    await rig.say(w.hi);
    expect((await rig.say(w.yes))[0]).toContain(tr('registration:region.question', { suggested: tr('registration:region.global') }));
    expect(await rig.say(region)).toEqual([tr('registration:email.question')]);
    const [prompt] = await proveAddress();
    return prompt!;
  }

  it('explains each bad address and asks again, then gives the password link', async () => {
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    // the reason and the question again, in one message (one bubble on a phone); the second miss in a row
    // also offers help and a person; the third says so in other words
    expect(await rig.say('ola@firma')).toEqual([`${text('registration:email.problem.missing_tld')}\n\n${text('registration:email.question')}`]);
    expect(await rig.say('ola firma.no')).toEqual([
      `${text('registration:email.problem.spaces')}\n\n${text('chat:question.stuck')}\n\n${text('registration:email.question')}`,
    ]);
    // the address is typed, so the third does not ask to tap a button (there is none)
    expect(await rig.say('ola@@firma.no')).toEqual([`${text('chat:question.stillStuckTyped')}\n\n${text('registration:email.question')}`]);
    // nothing is created before the code from the mail is typed here
    await confirmAddress();
    expect(await rig.services.installers.get(id)).toBeUndefined();
    const [prompt] = await rig.say(await rig.codeFor(normalised));
    expect(prompt).toContain(tr('registration:password.prompt', { minutes: 30 }));
    expect(prompt).toMatch(/\/account\/password\?token=/);
    expect(await rig.services.installers.get(id)).toMatchObject({ email: normalised, region: 'global', stage: 'new', language });
  });

  it('a comma typed for a dot after the @ (a phone keyboard slip), or the address dictated, is read, shown back, and gets the code', async () => {
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    const slip = w.email.replace(/\.([^.@]+)$/, ',$1');
    expect(slip).toContain(',');
    // not "the address is missing its ending": the address meant is shown back, and nothing is sent before a yes
    await typeAddress(slip, normalised);
    expect(await rig.say(language === 'nb' ? 'nei' : 'no')).toEqual([text('registration:email.retype')]);
    // and as it is said or dictated ("krøllalfa", "at … dot …")
    await confirmAddress(w.dictated, normalised);
    const [prompt] = await rig.say(await rig.codeFor(normalised));
    expect(prompt).toContain(tr('registration:password.prompt', { minutes: 30 }));
  });

  it('"why do you need my email" and "how long does the code take" are answered, the question stays, and no new code is sent', async () => {
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    expect(await rig.say(w.whyEmail)).toEqual([text('faq:whyEmail'), text('registration:email.question')]);
    await confirmAddress();
    await rig.services.mailer.flush();
    const mailsBefore = (await localMails(rig.dataDir)).length;
    // a question, not "send it again": the code already sent stays the one that works
    expect(await rig.say(w.codeWait)).toEqual([text('faq:codeArrival', { codeMinutes: 10 }), codeAsk('registration:code.question', { email: normalised })]);
    await rig.services.mailer.flush();
    expect((await localMails(rig.dataDir)).length).toBe(mailsBefore);
    const [prompt] = await rig.say(await rig.codeFor(normalised));
    expect(prompt).toContain(tr('registration:password.prompt', { minutes: 30 }));
  });

  it('the region can be seen and changed later with "region"', async () => {
    await rig.say(w.hi);
    expect((await rig.say('region'))[0]).toBe(tr('chat:region.notYet'));
    await registerUntilPassword();
    const [current] = await rig.say('region');
    const change = `${tr('chat:region.commandWord')} ${tr('registration:region.na')}`;
    expect(current).toBe(tr('chat:region.current', { region: tr('registration:region.global'), change }));
    const changed = await rig.say(change);
    expect(changed[0]).toBe(tr('chat:region.changed', { region: tr('registration:region.na') }));
    expect(changed[1]).toContain(tr('registration:password.prompt', { minutes: 30 }));
    expect((await rig.services.installers.get(id))!.region).toBe('na');
  });

  it('the region can be North America', async () => {
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say(tr('registration:region.na'));
    await proveAddress();
    expect((await rig.services.installers.get(id))!.region).toBe('na');
  });

  it('"new link" replaces the password link; help explains the password step and gives the link again', async () => {
    const prompt = await registerUntilPassword();
    const [fresh] = await rig.say(w.newLink);
    expect(fresh).toContain(tr('registration:password.newLink', { minutes: 30 }));
    const token = (text: string) => /token=([^\s]+)/.exec(text)![1];
    expect(token(fresh!)).not.toBe(token(prompt));
    expect((await rig.services.tokens.check(decodeURIComponent(token(prompt)!), 'password')).ok).toBe(false);
    const help = await rig.say(w.help);
    expect(help[0]).toContain(tr('chat:help.topics.awaitPassword'));
    expect(help[1]).toContain(tr('registration:password.prompt', { minutes: 30 }));
    expect(await rig.say('hmm')).toEqual([tr('registration:password.reminder')]);
  });

  it('help, status, a typo or "human" during the password step show the same link again; the open page keeps working', async () => {
    const prompt = await registerUntilPassword();
    const token = (text: string) => decodeURIComponent(/token=([^\s)"]+)/.exec(text)![1]!);
    const first = token(prompt);
    for (const said of [w.help, language === 'nb' ? 'fremdrift' : 'status', 'pasord', language === 'nb' ? 'menneske' : 'human']) {
      const replies = await rig.say(said);
      for (const shown of replies.filter((r) => r.includes('token='))) expect(token(shown)).toBe(first);
    }
    expect(await rig.services.tokens.check(first, 'password')).toEqual({ ok: true, installerId: id });
  });

  it('after a language switch in the chat, the password page and the emails are in the new language', async () => {
    await registerUntilPassword();
    const other = language === 'nb' ? 'en' : 'nb';
    await rig.say(other === 'en' ? 'English' : 'norsk');
    expect((await rig.services.installers.get(id))!.language).toBe(other);
    expect(await rig.services.registration.describe(id)).toMatchObject({ language: other });
    await rig.services.registration.setPassword(id, 'Ladestasjon-Bergen-2026!');
    await rig.services.mailer.flush();
    const mails = await localMails(rig.dataDir);
    expect(mails[mails.length - 1]!.subject).toBe(localeText(other, 'email:confirmation.subject'));
  });

  it('a password typed into the chat: a warning, the same link again, only a hash kept, and the page refuses it', async () => {
    await registerUntilPassword();
    const typed = 'Fjellvann-Trondheim-88';
    const [warning] = await rig.say(language === 'nb' ? `passordet mitt er ${typed}` : `my password is ${typed}`);
    expect(warning).toContain(text('registration:password.inChat'));
    expect(warning).toMatch(/\/account\/password\?token=/);
    expect(await rig.services.registration.wasTypedInChat(id, typed)).toBe(true);
    expect(await rig.services.registration.wasTypedInChat(id, 'Something-Else-2026!')).toBe(false);
    expect(JSON.stringify(await rig.services.installers.get(id))).not.toContain(typed);
    // a question about the password is not taken for one: it is answered from the guide, and the step shown again
    const answer = await rig.say(language === 'nb' ? 'hvilket passord skal jeg velge?' : 'what password should I choose?');
    expect(answer[0]).not.toContain(text('registration:password.inChat'));
    expect(answer[1]).toContain(text('registration:password.prompt', { minutes: 30 }));
    expect(await rig.services.registration.wasTypedInChat(id, 'skal jeg velge?')).toBe(false);
  });

  it('after the password: check your inbox, resend (limited), and the spam-folder hint', async () => {
    await registerUntilPassword();
    await rig.services.registration.setPassword(id, 'Ladestasjon-Bergen-2026!');
    const afterPassword = await rig.say('ok');
    expect(afterPassword).toEqual([tr('registration:password.saved'), checkInbox(normalised)]);

    const options = await rig.say(w.didntGet);
    expect(options[0]).toContain(tr('registration:confirm.options', { email: normalised }));
    expect(await rig.say('1')).toEqual([tr('registration:confirm.resent', { email: normalised })]);
    for (let i = 2; i <= RESENDS_PER_HOUR; i++) {
      await rig.say(w.didntGet);
      expect(await rig.say(tr('registration:confirm.option.resend'))).toEqual([tr('registration:confirm.resent', { email: normalised })]);
    }
    await rig.say(w.didntGet);
    const limited = await rig.say('1');
    expect(limited).toHaveLength(1);
    expect(limited[0]).toBe(tr('registration:confirm.limited', { minutes: 60 }));
    expect((await rig.services.installers.get(id))!.confirmationsSent).toHaveLength(1 + RESENDS_PER_HOUR);
    await rig.services.mailer.flush();
  });

  it('a wrong address can be corrected (shown back, proved by its code); the registration moves to the new one with its password', async () => {
    await registerUntilPassword();
    await rig.services.registration.setPassword(id, 'Ladestasjon-Bergen-2026!');
    await rig.say('ok');
    await rig.say(w.didntGet);
    expect(await rig.say('2')).toEqual([text('registration:confirm.newEmailQuestion')]);
    expect(await rig.say('ikke-en-adresse')).toEqual([`${text('registration:email.problem.missing_at')}\n\n${text('registration:confirm.newEmailQuestion')}`]);
    await typeAddress('riktig@adresse.no', 'riktig@adresse.no');
    expect(await rig.say(w.yes)).toEqual([codeAsk('registration:code.sent', { email: 'riktig@adresse.no', minutes: 10 })]);
    // until the code is typed, the old registration stays as it was
    expect(await rig.services.installers.get(id)).toMatchObject({ stage: 'registered' });
    const moved = await rig.say(await rig.codeFor('riktig@adresse.no'));
    expect(moved).toEqual([
      text('registration:email.replaced', { email: 'riktig@adresse.no' }),
      checkInbox('riktig@adresse.no'),
    ]);
    expect(await rig.services.installers.get(id)).toBeUndefined();
    expect(await rig.services.installers.get('riktig@adresse.no')).toMatchObject({ stage: 'registered', region: 'global', passwordHash: expect.any(String) });
    // status follows the moved registration
    const [status] = await rig.say(language === 'nb' ? 'fremdrift' : 'status');
    expect(status).toContain(`➡️ **${tr('journey:stage.registered')}**`);
  });

  /** The owner registers from their own chat account (another channel). */
  async function ownerRegisters(): Promise<void> {
    await rig.services.registration.start({ id, email: normalised, region: 'na', language: 'en' }, { channelId: 'other', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'owner-chat' }, user: { id: 'owner' } });
    await rig.services.registration.setPassword(id, 'Someone-Elses-Password-1');
  }

  it('an address registered by someone else gets the same answer as a new one, and nothing is linked without the code', async () => {
    await ownerRegisters();
    await rig.services.mailer.flush();
    const mailsBefore = (await localMails(rig.dataDir)).length;
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    // exactly what a never-seen address gets: no "already registered", no region or stage of the other registration
    await confirmAddress();
    // the owner gets a code mail that says where it was asked for and what to do if it was not them
    await rig.services.mailer.flush();
    const mails = await localMails(rig.dataDir);
    const codeMail = mails[mails.length - 1]!;
    expect(mails.length).toBe(mailsBefore + 1);
    expect(mailRecipient(codeMail)).toBe(normalised.toLowerCase());
    expect(codeMail.text).toContain(text('email:linkCode.notYou'));
    expect(codeMail.text).toContain(text('email:channels.other'));
    // the owner's confirmation link and resend quota are untouched
    const owner = (await rig.services.installers.get(id))!;
    expect(owner.confirmationsSent).toHaveLength(1);
    // not linked: status still says nothing is registered in this chat
    const [status] = await rig.say(language === 'nb' ? 'fremdrift' : 'status');
    expect(status).toContain(`➡️ **${tr('journey:stage.new')}**`);
  });

  it('wrong codes are counted and lock after five; "new code" sends another; the right code links this chat to the registration', async () => {
    await ownerRegisters();
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    await confirmAddress();
    const right = await rig.codeFor(normalised);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let tries = 4; tries >= 1; tries--) expect(await rig.say(wrong)).toEqual([text('registration:code.wrong', { tries })]);
    expect(await rig.say(wrong)).toEqual([text('registration:code.locked')]);
    // locked: even the right code no longer works
    expect(await rig.say(right)).toEqual([text('registration:code.locked')]);
    expect(await rig.say(language === 'nb' ? 'ny kode' : 'new code')).toEqual([codeAsk('registration:code.resent', { email: normalised })]);
    const fresh = await rig.codeFor(normalised);
    // typed the way people do, with a space in the middle and words around it
    const linked = await rig.say(language === 'nb' ? `koden er ${fresh.slice(0, 3)} ${fresh.slice(3)}` : `code: ${fresh.slice(0, 3)} ${fresh.slice(3)}`);
    expect(linked[0]).toBe(text('registration:code.linked'));
    // carries on where the registration is: waiting for the confirmation
    expect(linked[1]).toBe(checkInbox(normalised));
    expect((await rig.services.references.linked(id)).map((r) => r.channelId).sort()).toEqual(['other', 'test']);
  });

  it('"other address" at the code step goes back to the email question; text that is not a code asks for the code again', async () => {
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    await confirmAddress();
    // "what now?" is a question for the status; the code is asked for again after it
    expect((await rig.say(language === 'nb' ? 'hva nå?' : 'what now?'))[1]).toBe(codeAsk('registration:code.question', { email: normalised }));
    expect(await rig.say('12345')).toEqual([codeAsk('registration:code.question', { email: normalised })]);
    expect(await rig.say(language === 'nb' ? 'feil adresse' : 'wrong address')).toEqual([tr('registration:email.question')]);
    expect(await rig.services.installers.get(id)).toBeUndefined();
  });

  it('a corrected address typed instead of the code is shown back, then gets the code, without asking for the address again', async () => {
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    await confirmAddress();
    const corrected = language === 'nb' ? 'kari.riktig@elektro.no' : 'sam.right@sparks.co.uk';
    const said = language === 'nb' ? `oi, skal være ${corrected}` : `oops, it should be ${corrected}`;
    await typeAddress(said, corrected);
    expect(await rig.say(w.yes)).toEqual([codeAsk('registration:code.sent', { email: corrected, minutes: 10 })]);
    const [prompt] = await rig.say(await rig.codeFor(corrected));
    expect(prompt).toContain(tr('registration:password.prompt', { minutes: 30 }));
    expect(await rig.services.installers.get(corrected)).toMatchObject({ email: corrected });
    expect(await rig.services.installers.get(id)).toBeUndefined();
  });

  it('a code works only in the chat that asked for it', async () => {
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    await confirmAddress();
    const code = await rig.codeFor(normalised);
    const stranger = await rig.services.linkCodes.verify('test:someone-else', code);
    expect(stranger).toEqual({ kind: 'expired' });
    const [prompt] = await rig.say(code);
    expect(prompt).toContain(tr('registration:password.prompt', { minutes: 30 }));
  });
});

describe.each<Language>(['nb', 'en'])('delete my data in %s', (language) => {
  const w = WORDS[language];
  const words = language === 'nb' ? { ask: 'slett dataene mine', confirm: 'slett alt' } : { ask: 'delete my data', confirm: 'delete everything' };
  let rig: DialogRig;
  const tr = (key: string, vars?: Record<string, string | number>) => rig.translator.t(language, key, vars);

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  it('asks first; anything else keeps everything; confirming deletes the registration and starts afresh', async () => {
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    await rig.say(w.email);
    await rig.say(w.yes);
    const id = w.email.toLowerCase();
    await rig.say(await rig.codeFor(w.email.replace(/@(.*)$/, (_m, d: string) => '@' + d.toLowerCase())));
    await rig.services.registration.setPassword(id, 'Ladestasjon-Bergen-2026!');
    expect(await rig.services.installers.get(id)).toBeDefined();
    expect(await rig.store.get(linkTokenKeys.current('confirm', id))).toBeDefined();

    expect(await rig.say(words.ask)).toEqual([tr('chat:delete.confirm')]);
    // something else: nothing is deleted, the conversation goes on
    await rig.say('ok');
    expect(await rig.services.installers.get(id)).toBeDefined();

    expect(await rig.say(words.ask)).toEqual([tr('chat:delete.confirm')]);
    expect(await rig.say(tr('chat:delete.button'))).toEqual([tr('chat:delete.done')]);
    expect(await rig.services.installers.get(id)).toBeUndefined();
    expect(await rig.services.references.linked(id)).toEqual([]);
    // the emailed confirmation link no longer works: its current-link record is gone
    expect(await rig.store.get(linkTokenKeys.current('confirm', id))).toBeUndefined();
    const [status] = await rig.say(language === 'nb' ? 'fremdrift' : 'status');
    expect(status).toContain(`➡️ **${tr('journey:stage.new')}**`);
  });

  it('"export my data" mails the person a JSON file of what is kept about them, without any password hash', async () => {
    const exportWords = language === 'nb' ? 'eksporter dataene mine' : 'export my data';
    await rig.say(w.hi);
    expect(await rig.say(exportWords)).toEqual([localeText(language, 'chat:export.none'), expect.any(String)]);
    await rig.registerActive(w);
    const address = w.email.replace(/@(.*)$/, (_m, d: string) => '@' + d.toLowerCase());
    await rig.services.registration.rememberPasswordTypedInChat(w.email.toLowerCase(), 'Fjellvann-Trondheim-88');
    const [reply] = await rig.say(exportWords);
    expect(reply).toBe(localeText(language, 'chat:export.sent', { email: maskEmail(address) }));
    await rig.services.mailer.flush();
    const mails = await localMails(rig.dataDir);
    const exported = mails[mails.length - 1]!;
    expect(exported.subject).toBe(localeText(language, 'email:dataExport.subject'));
    expect(mailRecipient(exported)).toBe(address.toLowerCase());
    const file = exported.attachments.find((a) => a.filename === 'my-data.json')!;
    const data = JSON.parse(file.content.toString('utf8')) as { registration: Record<string, unknown>; chats: Array<Record<string, unknown>> };
    expect(data.registration).toMatchObject({ email: address, region: 'global', language, stage: 'active', passwordSet: true, passwordsTypedInChat: 1 });
    expect(data.chats).toEqual([expect.objectContaining({ channel: 'test' })]);
    expect(file.content.toString('utf8')).not.toMatch(/scrypt|passwordHash|Fjellvann/);
  });

  it('"delete everything" on its own only asks for confirmation', async () => {
    await rig.say(w.hi);
    expect(await rig.say(words.confirm)).toEqual([tr('chat:delete.confirm')]);
  });
});

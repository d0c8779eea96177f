import { maskEmail } from '../../src/domain/email';
import { linkTokenKeys } from '../../src/services/tokens/hmacLinkTokens';
import type { Language } from '../../src/domain/language';
import { RESENDS_PER_HOUR } from '../../src/services/installers/registrationService';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';

interface Words {
  locale: string;
  hi: string;
  yes: string;
  help: string;
  didntGet: string;
  newLink: string;
  email: string;
}

const WORDS: Record<Language, Words> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', help: 'hjelp', didntGet: 'fikk ikke e-post', newLink: 'ny lenke', email: 'Kari.Montor@Elektro.NO' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', help: 'help', didntGet: "didn't get the email", newLink: 'new link', email: 'Sam.Fitter@Sparks.CO.UK' },
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

  /** Greeting → start → region → email: returns the password prompt. */
  async function registerUntilPassword(region = '1'): Promise<string> {
    await rig.say(w.hi);
    expect((await rig.say(w.yes))[0]).toContain(tr('registration:region.question', { suggested: tr('registration:region.global') }));
    expect(await rig.say(region)).toEqual([tr('registration:email.question')]);
    const [prompt] = await rig.say(w.email);
    return prompt!;
  }

  it('explains each bad address and asks again, then gives the password link', async () => {
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    expect(await rig.say('ola@firma')).toEqual([tr('registration:email.problem.missing_tld'), tr('registration:email.question')]);
    expect(await rig.say('ola firma.no')).toEqual([tr('registration:email.problem.spaces'), tr('registration:email.question')]);
    const third = await rig.say('ola@@firma.no');
    expect(third[0]).toBe(`${tr('registration:email.problem.several_at')}\n\n${tr('chat:question.stuck')}`);
    const [prompt] = await rig.say(w.email);
    expect(prompt).toContain(tr('registration:password.prompt', { minutes: 30 }));
    expect(prompt).toMatch(/\/account\/password\?token=/);
    expect(await rig.services.installers.get(id)).toMatchObject({ email: normalised, region: 'global', stage: 'new', language });
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
    await rig.say(w.email);
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

  it('after the password: check your inbox, resend (limited), and the spam-folder hint', async () => {
    await registerUntilPassword();
    await rig.services.registration.setPassword(id, 'Ladestasjon-Bergen-2026!');
    const afterPassword = await rig.say('ok');
    expect(afterPassword).toEqual([tr('registration:password.saved'), tr('registration:confirm.checkInbox', { email: normalised })]);

    const options = await rig.say(w.didntGet);
    expect(options[0]).toContain(tr('registration:confirm.options'));
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

  it('a wrong address can be corrected; the registration moves to the new one', async () => {
    await registerUntilPassword();
    await rig.services.registration.setPassword(id, 'Ladestasjon-Bergen-2026!');
    await rig.say('ok');
    await rig.say(w.didntGet);
    expect(await rig.say('2')).toEqual([tr('registration:confirm.newEmailQuestion')]);
    expect(await rig.say('ikke-en-adresse')).toEqual([tr('registration:email.problem.missing_at'), tr('registration:confirm.newEmailQuestion')]);
    expect(await rig.say('riktig@adresse.no')).toEqual([tr('registration:confirm.changed', { email: 'riktig@adresse.no' })]);
    expect(await rig.services.installers.get(id)).toBeUndefined();
    expect(await rig.services.installers.get('riktig@adresse.no')).toMatchObject({ stage: 'registered', region: 'global' });
    // status follows the moved registration
    const [status] = await rig.say(language === 'nb' ? 'fremdrift' : 'status');
    expect(status).toContain(`➡️ **${tr('journey:stage.registered')}**`);
  });

  it('an address someone else registered: says so without revealing anything, offers a link or another address', async () => {
    await rig.services.registration.start({ id, email: normalised, region: 'na', language: 'en' }, { channelId: 'other', user: { id: 'someone', name: '' } }, undefined);
    await rig.services.registration.setPassword(id, 'Someone-Elses-Password-1');
    await rig.say(w.hi);
    await rig.say(w.yes);
    await rig.say('1');
    const [taken] = await rig.say(w.email);
    expect(taken).toContain(tr('registration:email.taken.question', { email: normalised }));
    // nothing of the other registration (its region, its stage) is shown
    expect(taken).not.toContain(tr('registration:region.na'));
    expect(taken).not.toContain(tr('journey:stage.registered'));
    // another address starts over at the email question
    expect(await rig.say('2')).toEqual([tr('registration:email.question')]);
    await rig.say(w.email);
    const [sent] = await rig.say(tr('registration:email.taken.sendLink'));
    expect(sent).toBe(tr('registration:confirm.resent', { email: maskEmail(normalised) }));
    // the conversation is not linked to that installer until the owner follows the link
    const [status] = await rig.say(language === 'nb' ? 'fremdrift' : 'status');
    expect(status).toContain(`➡️ **${tr('journey:stage.new')}**`);
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
    const id = w.email.toLowerCase();
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

  it('"delete everything" on its own only asks for confirmation', async () => {
    await rig.say(w.hi);
    expect(await rig.say(words.confirm)).toEqual([tr('chat:delete.confirm')]);
  });
});

import type { Language } from '../../src/domain/language';
import type { Profile } from '../../src/domain/profile';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText, withNumberedChoices } from '../helpers/localeText';
import { localMails, mailRecipient } from '../helpers/mailCodes';

interface Words {
  locale: string;
  hi: string;
  yes: string;
  email: string;
  profile: Profile;
  /** "I didn't get it", "send it again", "new link" and a typo: each asks for a new invitation. */
  resends: [string, string, string, string];
  nonsense: string;
  onSite: string;
  /** The installer telling that the account is set up (found playing it through: the reminder, or "did you mean Cancel?"). */
  setUp: string[];
}

const WORDS: Record<Language, Words> = {
  nb: {
    locale: 'nb-NO',
    hi: 'hei',
    yes: 'ja',
    email: 'kari@elektro.no',
    profile: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language: 'nb' },
    resends: ['har ikke fatt noen invitasjon', 'send pa nytt', 'ny lenke', 'sennd igjen'],
    nonsense: 'blåbærsyltetøy',
    onSite: 'jeg er på stedet',
    setUp: ['har satt opp kontoen', 'ferdig med kontoen', 'Kontoen er satt opp nå', 'jeg har godtatt invitasjonen', 'ferdig'],
  },
  en: {
    locale: 'en-GB',
    hi: 'hello',
    yes: 'yes',
    email: 'sam@sparks.co.uk',
    profile: { firstName: 'Sam', lastName: 'Sparks', company: 'Sparks Ltd', phone: '+447700900123', country: 'GB', postalCode: 'SW1A 1AA', language: 'en' },
    resends: ["I didn't get the invitation", 'send it again', 'new link please', 'resnd'],
    nonsense: 'marmalade sandwiches',
    onSite: "I'm on site",
    setUp: ['set up the account', 'done with the account', "I've accepted the invitation", 'my account is set up', 'done'],
  },
};

const invitationLinks = async (rig: DialogRig, address: string): Promise<string[]> => {
  await rig.services.mailer.flush();
  return (await localMails(rig.dataDir))
    .filter((m) => mailRecipient(m) === address && /\/account\/invitation\?token=/.test(m.text ?? ''))
    .map((m) => /https?:\/\/\S+\/account\/invitation\?token=\S+/.exec(m.text ?? '')![0]);
};

describe.each<Language>(['nb', 'en'])('waiting for the invitation (stage certified) in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  const text = (key: string, vars?: Record<string, string | number>) => localeText(language, key, vars);

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  /** Registers through the chat, then puts the record at `certified` (as the courses would) and sends the invitation. */
  async function certified(): Promise<void> {
    for (const said of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(said);
    await rig.say(await rig.codeFor(w.email));
    await rewriteInstaller(rig.store, w.email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'certified', profile: w.profile }));
    expect(await rig.services.invitations.send(w.email)).toEqual({ kind: 'sent' });
  }

  it('says to check the email, sends a new invitation however it is asked for (limited), and moves on once the account is set up', async () => {
    await certified();
    // sent once: a second call (webhook and poller both noticing the completion) sends nothing
    expect(await rig.services.invitations.send(w.email)).toEqual({ kind: 'already_sent' });
    expect(await invitationLinks(rig, w.email)).toHaveLength(1);

    const checkInbox = withNumberedChoices(language, text('account:invitation.checkInbox', { email: w.email }), ['account:invitation.didntGetButton']);
    // (the password step notices the password the fixture set, says so, and hands over)
    expect(await rig.say('ok')).toEqual([text('registration:password.saved'), checkInbox]);

    // something it does not take: the reminder, nothing sent
    expect(await rig.say(w.nonsense)).toEqual([text('account:invitation.reminder')]);
    expect(await invitationLinks(rig, w.email)).toHaveLength(1);

    // the button's label, the words people use, and a typo: each one a new invitation
    const [didntGet, again, newLink, typo] = w.resends;
    expect(await rig.say(text('account:invitation.didntGetButton'))).toEqual([text('account:invitation.resent', { email: w.email })]);
    expect(await rig.say(didntGet)).toEqual([text('account:invitation.resent', { email: w.email })]);
    expect(await rig.say(again)).toEqual([text('account:invitation.resent', { email: w.email })]);
    const links = await invitationLinks(rig, w.email);
    expect(links).toHaveLength(4);
    // only the newest link works
    const token = (url: string) => new URL(url).searchParams.get('token')!;
    expect(await rig.services.tokens.check(token(links[0]!), 'invitation')).toEqual({ ok: false, reason: 'replaced' });
    expect(await rig.services.tokens.check(token(links[3]!), 'invitation')).toEqual({ ok: true, installerId: w.email });

    // 1 + 3 an hour, as for the confirmation email
    expect(await rig.say(newLink)).toEqual([text('account:invitation.limited', { minutes: 60 })]);
    expect(await rig.say(typo)).toEqual([text('account:invitation.limited', { minutes: 60 })]);
    expect(await invitationLinks(rig, w.email)).toHaveLength(4);

    // "help" explains this step, then asks again
    const help = await rig.say(language === 'nb' ? 'hjelp' : 'help');
    expect(help[0]!.startsWith(text('chat:help.topics.awaitInvitation'))).toBe(true);
    expect(help[help.length - 1]).toBe(checkInbox);

    // the invitation page set the account up (the notify turn is exercised over HTTP): the next message is told what to do on site
    expect(await rig.services.invitations.setUpAccount(w.email, { firstName: w.profile.firstName, lastName: w.profile.lastName, company: w.profile.company })).toBe('activated');
    expect(await rig.say('ok')).toEqual([text('account:activated')]);
    const stored = await rig.services.installers.get(w.email);
    expect(stored).toMatchObject({ stage: 'active', termsVersion: '2026-11', account: { company: w.profile.company } });
    expect(stored!.stageHistory!.at(-1)).toMatchObject({ stage: 'active', event: 'accountSetUp' });

    // and "I'm on site" leads to the station step
    const onSite = await rig.say(w.onSite);
    expect(onSite[onSite.length - 1]).toContain(text('chat:station.identify'));
  });

  it('"har satt opp kontoen" / "done with the account": not set up yet is said plainly with the invitation\'s button again; once set up, the step goes on', async () => {
    await certified();
    const checkInbox = withNumberedChoices(language, text('account:invitation.checkInbox', { email: w.email }), ['account:invitation.didntGetButton']);
    await rig.say('ok');
    for (const said of w.setUp) {
      expect(await rig.say(said)).toEqual([`${text('account:invitation.notSetUpYet')}\n\n${checkInbox}`]);
    }
    // nothing was sent for it
    expect(await invitationLinks(rig, w.email)).toHaveLength(1);
    expect(await rig.services.invitations.setUpAccount(w.email, { firstName: w.profile.firstName, lastName: w.profile.lastName, company: w.profile.company })).toBe('activated');
    expect(await rig.say(w.setUp[0]!)).toEqual([text('account:activated')]);
  });

  it('"resend" before certification is not this step: nothing is sent', async () => {
    for (const said of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(said);
    await rig.say(await rig.codeFor(w.email));
    await rewriteInstaller(rig.store, w.email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'courses_in_progress' }));
    expect(await rig.services.invitations.send(w.email)).toEqual({ kind: 'not_certified' });
    expect(await rig.services.invitations.resend(w.email)).toEqual({ kind: 'not_needed' });
    expect(await invitationLinks(rig, w.email)).toHaveLength(0);
  });
});

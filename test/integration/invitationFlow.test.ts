import type { ConversationAddress } from '../../src/domain/conversationAddress';
import type { Language } from '../../src/domain/language';
import type { Profile } from '../../src/domain/profile';
import { escapeHtml } from '../../src/web/pages/layout';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText, withNumberedChoices } from '../helpers/localeText';
import { TestChannel } from '../helpers/testChannel';
import { TestSmtpServer } from '../helpers/testSmtpServer';

interface Case {
  locale: string;
  hi: string;
  cancel: string;
  onSite: string;
  email: string;
  profile: Profile;
  correctedCompany: string;
}

const CASES: Record<Language, Case> = {
  nb: {
    locale: 'nb-NO',
    hi: 'hei',
    cancel: 'avbryt',
    onSite: 'jeg er på stedet',
    email: 'kari.nordmann@elektro.no',
    profile: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language: 'nb' },
    correctedCompany: 'Elektro Nord AS',
  },
  en: {
    locale: 'en-GB',
    hi: 'hi',
    cancel: 'cancel',
    onSite: 'station',
    email: "sam.o'brien@sparks.co.uk",
    profile: { firstName: 'Sam', lastName: "O'Brien", company: 'Sparks & Sons Ltd', phone: '+447700900123', country: 'GB', postalCode: 'SW1A 1AA', language: 'en' },
    correctedCompany: 'Sparks & Daughters Ltd',
  },
};

const invitationLinkIn = (text: string): string => {
  const match = /https?:\/\/\S+\/account\/invitation\?token=[^\s"<>)]+/.exec(text);
  if (!match) throw new Error('no invitation link in the mail');
  return match[0];
};

describe.each<Language>(['nb', 'en'])('certified → invitation email → invitation page → active, over HTTP in %s', (language) => {
  const c = CASES[language];
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  let h: Harness;
  const conversation = `invite-${language}`;
  const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
  const text = (key: string, vars?: Record<string, string | number>) => localeText(language, key, vars);
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  beforeAll(async () => {
    await channel.start();
    await smtp.listen();
    h = await startApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    await channel.stop();
  });

  it('mails a single-use invitation in the installer\'s language, sets the account up from its page, and the chat moves on by itself', async () => {
    // a chat that has said hello and stopped; the installer reached `certified` (as the earlier steps and the courses would)
    await say(c.hi);
    await say(c.cancel);
    const before = (await channel.waitForMessages(conversation, 3)).length;
    const reference: ConversationAddress = {
      channelId: 'test',
      serviceUrl: channel.serviceUrl,
      conversation: { id: conversation, isGroup: false, conversationType: 'personal' },
      user: { id: `user-${conversation}`, name: 'Installer' },
      bot: { id: 'bot', name: 'Onboarding bot' },
      locale: c.locale,
    };
    const { registration, invitations, installers } = h.app.services;
    await registration.start({ id: c.email, email: c.email, region: 'global', language }, reference);
    const certifiedAt = new Date().toISOString();
    await rewriteInstaller(h.app.store, c.email, (i) => ({
      ...i,
      passwordHash: 'scrypt$x',
      stage: 'certified',
      stageHistory: [...(i.stageHistory ?? []), { stage: 'certified', at: certifiedAt, event: 'coursesCompleted' }],
      profile: c.profile,
    }));

    // certified: the invitation goes out, and the chat says so on its own
    expect(await invitations.send(c.email)).toEqual({ kind: 'sent' });
    let messages = await channel.waitForMessages(conversation, before + 2);
    expect(messages.slice(before)).toEqual([
      text('account:invitation.certified'),
      withNumberedChoices(language, text('account:invitation.checkInbox', { email: c.email }), ['account:invitation.didntGetButton']),
    ]);

    // the invitation email, received by a real SMTP server, in the installer's language
    const first = await smtp.message(1);
    expect(first.subject).toBe(text('email:invitation.subject'));
    expect(first.to && 'text' in first.to ? first.to.text : '').toContain(c.email);
    expect(first.html || '').toContain(`<html lang="${language}">`);
    expect(first.text).toContain(text('email:invitation.validity', { days: 14 }));
    const firstLink = invitationLinkIn(first.text ?? '');
    // opaque: nothing personal in the link
    expect(firstLink).not.toContain(encodeURIComponent(c.email));
    expect(firstLink.toLowerCase()).not.toContain(c.profile.lastName.toLowerCase());

    // "I didn't get it": a new invitation; the first link now answers 410 (replaced)
    await say(text('account:invitation.didntGetButton'));
    messages = await channel.waitForMessages(conversation, before + 3);
    expect(messages[before + 2]).toBe(text('account:invitation.resent', { email: c.email }));
    const second = await smtp.message(2);
    const link = invitationLinkIn(second.text ?? '');
    expect(new URL(link).searchParams.get('lang')).toBe(language);
    const replaced = await fetch(firstLink);
    expect(replaced.status).toBe(410);
    expect(await replaced.text()).toContain(escapeHtml(text('pages:problem.invitation.replaced.heading')));

    // the page, in the installer's language, with name and company from the profile
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain(escapeHtml(text('pages:invitation.heading')));
    expect(html).toContain(`value="${escapeHtml(c.profile.firstName)}"`);
    expect(html).toContain(`value="${escapeHtml(c.profile.lastName)}"`);
    expect(html).toContain(`value="${escapeHtml(c.profile.company)}"`);
    expect(html).toContain(escapeHtml(text('pages:invitation.terms.stations')));
    expect(html).not.toMatch(/<script/);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    const token = new URL(link).searchParams.get('token')!;

    // without the link's token a post is refused (a cross-site form cannot know it)
    const forged = await fetch(new URL('/account/invitation', link), form({ firstName: 'Eve', lastName: 'Mallory', company: 'Evil', terms: 'accepted' }));
    expect(forged.status).toBe(400);

    // the terms not accepted: the form again, with the reason, what was typed kept, nothing changed
    const refused = await fetch(new URL('/account/invitation', link), form({ token, firstName: c.profile.firstName, lastName: c.profile.lastName, company: c.correctedCompany }));
    expect(refused.status).toBe(422);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain(escapeHtml(text('pages:invitation.errors.terms.required')));
    expect(refusedHtml).toContain(`value="${escapeHtml(c.correctedCompany)}"`);
    expect((await installers.get(c.email))!.stage).toBe('certified');

    // name confirmed, company corrected, terms accepted → active
    const accepted = await fetch(new URL('/account/invitation', link), form({ token, firstName: c.profile.firstName, lastName: ` ${c.profile.lastName} `, company: c.correctedCompany, terms: 'accepted' }));
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain(escapeHtml(text('pages:accountReady.heading')));
    const stored = (await installers.get(c.email))!;
    expect(stored.stage).toBe('active');
    expect(stored.account).toEqual({ firstName: c.profile.firstName, lastName: c.profile.lastName, company: c.correctedCompany });
    expect(stored.profile?.company).toBe(c.correctedCompany);
    expect(stored.termsVersion).toBe('2026-11');
    expect(Date.parse(stored.termsAcceptedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(stored.accountSetUpAt).toBe(stored.termsAcceptedAt);
    expect(stored.stageHistory!.map((e) => e.stage).slice(-2)).toEqual(['certified', 'active']);
    const entered = stored.stageHistory!.at(-1)!;
    expect(entered).toMatchObject({ stage: 'active', event: 'accountSetUp' });
    expect(Math.abs(Date.parse(entered.at) - Date.parse(stored.accountSetUpAt!))).toBeLessThan(1000);

    // the chat, on its own: what to do on site
    messages = await channel.waitForMessages(conversation, before + 4);
    expect(messages[before + 3]).toBe(text('account:activated'));

    // single use: the link again (GET or POST) answers 410
    const again = await fetch(link);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain(escapeHtml(text('pages:problem.invitation.used.heading')));
    expect((await fetch(new URL('/account/invitation', link), form({ token, firstName: 'X', lastName: 'Y', company: 'Z', terms: 'accepted' }))).status).toBe(410);
    expect((await installers.get(c.email))!.account?.company).toBe(c.correctedCompany);

    // on site: the station step
    await say(c.onSite);
    messages = await channel.waitForMessages(conversation, before + 5);
    expect(messages[before + 4]).toContain(text('chat:station.identify'));

    // no token in the logs
    expect(h.logs.text).not.toContain(token);
  });

  it('an expired invitation link answers 410 with a page saying so, in the installer\'s language', async () => {
    const id = `expired-${language}@example.com`;
    await h.app.services.registration.start({ id, email: id, region: 'global', language }, { channelId: 'test', serviceUrl: channel.serviceUrl, conversation: { id: `expired-${language}`, isGroup: false, conversationType: 'personal' }, user: { id: 'u', name: '' }, bot: { id: 'bot', name: '' } });
    await rewriteInstaller(h.app.store, id, (i) => ({ ...i, stage: 'certified' }));
    const token = await h.app.services.tokens.issue('invitation', id, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const response = await fetch(`${h.url}/account/invitation?token=${encodeURIComponent(token)}&lang=${language}`);
    expect(response.status).toBe(410);
    const html = await response.text();
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain(escapeHtml(text('pages:problem.invitation.expired.heading')));
    expect(html).toContain(escapeHtml(text('pages:problem.invitation.expired.body', { days: 14 })));
    expect(html).toContain(escapeHtml(text('pages:problem.hint.invitation')));
  });
});

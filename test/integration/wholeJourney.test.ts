import type { Activity } from 'botbuilder';
import type { Language } from '../../src/domain/language';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { localeText } from '../helpers/localeText';
import { codeInMail } from '../helpers/mailCodes';
import { TestChannel } from '../helpers/testChannel';
import { TestSmtpServer, waitUntil } from '../helpers/testSmtpServer';

const PASSWORD = 'Ladestasjon-Lillehammer-2026!';

/**
 * One installer the whole way, over HTTP, as they would go: from "hei"/"hi" through registration,
 * the password page, the confirmation link, the profile (the card in nb on a channel that shows
 * forms, typed answers in en on a text-only one), the courses on the local LMS's course pages,
 * the invitation email and its page, to two stations localized on site. Every proactive message
 * arrives by itself, and the stored record's stage history is the journey in order.
 */
const CASES = [
  {
    language: 'nb' as Language,
    locale: 'nb-NO',
    channelId: 'emulator',
    hi: 'hei',
    yes: 'ja',
    email: 'kari.nordmann@elektro-test.no',
    card: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'NO', postalCode: '0150', phone: '912 34 567', language: 'nb' },
    typed: [] as string[],
    station: 'jeg er på stedet',
    done: 'ferdig',
    profile: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'NO', postalCode: '0150', phone: '+4791234567', language: 'nb' },
  },
  {
    language: 'en' as Language,
    locale: 'en-GB',
    channelId: 'test',
    hi: 'hi',
    yes: 'yes',
    email: 'sam.smith@sparks-test.co.uk',
    card: undefined,
    typed: ['Sam Smith', 'I work for Sparks Ltd', 'uk', 'sw1a1aa', '07911 123456', 'english'],
    station: "i'm on site",
    done: 'done',
    profile: { firstName: 'Sam', lastName: 'Smith', company: 'Sparks Ltd', country: 'GB', postalCode: 'SW1A 1AA', phone: '+447911123456', language: 'en' },
  },
];

const linksIn = (text: string, path: string): string[] =>
  [...text.matchAll(new RegExp(`https?://[^\\s"<>)]+${path.replace(/\//g, '\\/')}[^\\s"<>)]*`, 'g'))].map((m) => m[0].replace(/&amp;/g, '&'));

/** Every link an activity shows: in its text, and on its card's buttons. */
function linksOf(activity: Partial<Activity>, path: string): string[] {
  const cardButtons = (activity.attachments ?? []).flatMap((a) => ((a.content as { buttons?: Array<{ value?: string }> } | undefined)?.buttons ?? []).map((b) => String(b.value ?? '')));
  const suggested = (activity.suggestedActions?.actions ?? []).map((action) => String(action.value ?? ''));
  const buttons = [...cardButtons, ...suggested];
  return [...linksIn(activity.text ?? '', path), ...buttons.filter((v) => v.includes(path))];
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe.each(CASES)('the whole journey over HTTP in $language', (c) => {
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  const conversation = `journey-${c.language}`;
  let h: Harness;
  const say = (text: string, extra: Partial<Activity> = {}) =>
    h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale, channelId: c.channelId, ...extra }));
  const activities = () => channel.received.filter((a) => a.conversation?.id === conversation && a.type === 'message');
  /** Waits for a message of the bot (after the first `from` of this conversation) that satisfies `test`. */
  const waitForMessage = async (from: number, test: (text: string, activity: Partial<Activity>) => boolean, what: string): Promise<Partial<Activity>> => {
    await waitUntil(async () => activities().slice(from).some((a) => test(a.text ?? '', a)), what, 20_000);
    return activities().slice(from).find((a) => test(a.text ?? '', a))!;
  };
  const t = (key: string, vars?: Record<string, string | number>) => localeText(c.language, key, vars);

  beforeAll(async () => {
    await channel.start();
    await smtp.listen();
    h = await startApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Installer assistant <assistant@example.test>' });
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    await channel.stop();
  });

  it('from the first hello to two stations localized, every step in the chat', async () => {
    // registration: greeting, start, region, address shown back, the code from the mail
    await say(c.hi);
    await waitForMessage(0, (text) => text.startsWith(t('chat:root.startQuestion')), 'the start question');
    await say(c.yes);
    await waitForMessage(0, (text) => text.includes(t('registration:region.global')), 'the region question');
    await say(t('registration:region.global'));
    await waitForMessage(0, (text) => text === t('registration:email.question'), 'the email question');
    await say(c.email);
    await waitForMessage(0, (text) => text.includes(t('registration:email.check.question', { email: c.email })), 'the address shown back');
    await say(c.yes);
    const codeMail = await smtp.message(1);
    let from = activities().length;
    await say(codeInMail(codeMail));
    const passwordMessage = await waitForMessage(from, (_text, activity) => linksOf(activity, '/account/password').length > 0, 'the password link');

    // the password page; the chat goes on by itself
    const passwordUrl = linksOf(passwordMessage, '/account/password')[0]!;
    const token = new URL(passwordUrl).searchParams.get('token')!;
    from = activities().length;
    expect((await fetch(new URL('/account/password', passwordUrl), form({ token, password: PASSWORD, confirmation: PASSWORD }))).status).toBe(200);
    await waitForMessage(from, (text) => text === t('registration:password.saved'), 'password saved, said by itself');

    // the confirmation link from the email: the chat says so and the profile step begins by itself
    const confirmation = await smtp.withSubject(t('email:confirmation.subject'));
    const confirmLink = linksIn(confirmation.text ?? '', '/confirm')[0]!;
    from = activities().length;
    expect((await fetch(confirmLink)).status).toBe(200);
    await waitForMessage(from, (text) => text === t('registration:confirm.done'), 'confirmed, said by itself');

    if (c.card) {
      // a channel that shows forms: the profile form as a card, sent filled in
      const withCard = await waitUntil(async () => activities().slice(from).some((a) => (a.attachments ?? []).some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')), 'the profile form', 20_000).then(() =>
        activities().slice(from).find((a) => (a.attachments ?? []).some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive'))!,
      );
      const card = withCard.attachments!.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')!.content as { actions: Array<{ data: Record<string, unknown> }> };
      from = activities().length;
      await say('', { value: { ...card.actions[0]!.data, ...c.card } });
    } else {
      await waitForMessage(from, (text) => text === t('profile:fields.firstName.question'), 'the first profile question');
      for (const answer of c.typed) {
        from = activities().length;
        await say(answer);
        await waitUntil(async () => activities().length > from, `an answer to "${answer}"`);
      }
    }
    await waitForMessage(from, (text) => text.startsWith(t('profile:summary.question', { lines: '' }).split('\n')[0]!), 'the summary before saving');
    from = activities().length;
    await say(c.yes);

    // the profile goes to the LMS (a job): the course list arrives by itself
    const list = await waitForMessage(from, (text, activity) => text.startsWith(t('courses:chat.ready')) && linksOf(activity, '/dev/courses/').length > 0, 'the course list, by itself');
    const installerId = c.email.toLowerCase();
    expect((await h.app.services.installers.get(installerId))!.profile).toEqual(c.profile);
    const courseLinks = linksOf(list, '/dev/courses/');
    expect(courseLinks.length).toBeGreaterThanOrEqual(2);

    // each course completed on its course page; the chat hears of each by itself
    for (const [index, link] of courseLinks.entries()) {
      const url = new URL(link);
      const courseToken = url.searchParams.get('token')!;
      expect((await fetch(link)).status).toBe(200);
      from = activities().length;
      expect((await fetch(`${url.origin}${url.pathname}/complete`, form({ token: courseToken }))).status).toBeLessThan(400);
      if (index < courseLinks.length - 1) await waitUntil(async () => activities().length > from, 'the course completion, said by itself');
    }

    // certified: the invitation email, and the chat says so by itself
    await waitForMessage(0, (text) => text.includes(t('account:invitation.certified')), 'certified, said by itself');
    const invitation = await smtp.withSubject(t('email:invitation.subject'));
    const invitationLink = linksIn(invitation.text ?? '', '/account/invitation')[0]!;
    const page = await fetch(invitationLink);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(c.profile.company);
    from = activities().length;
    const invitationToken = new URL(invitationLink).searchParams.get('token')!;
    const setUp = await fetch(new URL('/account/invitation', invitationLink), form({ token: invitationToken, firstName: c.profile.firstName, lastName: c.profile.lastName, company: c.profile.company, terms: 'accepted' }));
    expect(setUp.status).toBe(200);
    await waitForMessage(from, (text) => text.includes(t('account:activated').split('\n')[0]!), 'the installer account ready, said by itself');

    // on site: two stations, by MAC address and by the text of a QR code, pinpointed by coordinates
    from = activities().length;
    await say(c.station);
    await waitForMessage(from, (text) => text.includes(t('chat:station.identify')), 'the station step');
    await say('0024:B100:0002:9F81');
    await waitForMessage(from, (text) => text.includes(t('chat:station.where', { mac: '0024:B100:0002:9F81' })), 'where is the first station');
    await say('59.9139, 10.7522');
    await waitForMessage(from, (text) => text.includes(t('chat:station.identifyNext')), 'the next station');
    await say('https://example.test/install?mac=0024B1000002A0B1');
    await waitForMessage(from, (text) => text.includes(t('chat:station.where', { mac: '0024:B100:0002:A0B1' })), 'where is the second station');
    await say('60.3913, 5.3221');
    from = activities().length;
    await say(c.done);
    await waitForMessage(from, (text) => text === t('chat:station.finished_other', { count: 2 }), 'two stations recorded');

    const installer = (await h.app.services.installers.get(installerId))!;
    expect(installer.stage).toBe('active');
    expect(installer.stationsLocalized.map((s) => s.mac)).toEqual(['0024:B100:0002:9F81', '0024:B100:0002:A0B1']);
    expect(installer.stageHistory!.map((e) => [e.stage, e.event])).toEqual([
      ['new', undefined],
      ['registered', 'passwordSet'],
      ['confirmed', 'emailConfirmed'],
      ['profile_complete', 'profileSaved'],
      ['courses_in_progress', 'coursesAssigned'],
      ['certified', 'coursesCompleted'],
      ['active', 'accountSetUp'],
    ]);
    // each stage was entered after the one before
    const times = installer.stageHistory!.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

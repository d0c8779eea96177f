import fs from 'node:fs';
import path from 'node:path';
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
 * the password page, the confirmation link, the profile, the courses on the local LMS's course
 * pages, the invitation email (received by a real SMTP server) and its page, to two stations
 * localized on site — the first on the location page the chat links to, the second typed in the
 * chat. In each language the journey is walked twice: the profile as a card (a channel that shows
 * forms) and as typed answers (a text-only channel). Every message the bot sends by itself (after
 * a page, a link, a course or a job) is checked by its literal text, read from the locale files
 * (and the local course list) as data, never through the bot's translator; and the stored record's
 * stage history is the journey in order.
 */

type ProfilePath = 'card' | 'text';

interface Journey {
  language: Language;
  path: ProfilePath;
  locale: string;
  channelId: string;
  hi: string;
  yes: string;
  email: string;
  /** The card path: the form's values as submitted. */
  card?: Record<string, string>;
  /** The text path: each answer, and the reply it gets (built from locale keys). */
  typed?: Array<[answer: string, reply: (t: Text) => string]>;
  station: string;
  done: string;
  profile: Record<string, string>;
  /** The profile as the summary shows it. */
  shown: Record<string, string>;
  /** Where the first station stands (sent from the location page). */
  position: { latitude: string; longitude: string };
}

type Text = (key: string, vars?: Record<string, string | number>) => string;

const NB_PROFILE = { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'NO', postalCode: '0150', phone: '+4791234567', language: 'nb' };
const NB_SHOWN = { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'Norge', postalCode: '0150', phone: '+47 91 23 45 67', language: 'Norsk' };
const EN_PROFILE = { firstName: 'Sam', lastName: 'Smith', company: 'Sparks Ltd', country: 'GB', postalCode: 'SW1A 1AA', phone: '+447911123456', language: 'en' };
const EN_SHOWN = { firstName: 'Sam', lastName: 'Smith', company: 'Sparks Ltd', country: 'United Kingdom', postalCode: 'SW1A 1AA', phone: '+44 7911 123456', language: 'English' };

const question = (field: string) => (t: Text) => t(`profile:fields.${field}.question`);

const NB = { language: 'nb' as Language, locale: 'nb-NO', hi: 'hei', yes: 'ja', station: 'jeg er på stedet', done: 'ferdig', profile: NB_PROFILE, shown: NB_SHOWN };
const EN = { language: 'en' as Language, locale: 'en-GB', hi: 'hi', yes: 'yes', station: "i'm on site", done: 'done', profile: EN_PROFILE, shown: EN_SHOWN };

const JOURNEYS: Journey[] = [
  {
    ...NB,
    path: 'card',
    channelId: 'emulator',
    email: 'kari.nordmann@elektro-test.no',
    card: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'NO', postalCode: '0150', phone: '912 34 567', language: 'nb' },
    position: { latitude: '59,9139', longitude: '10,7522' },
  },
  {
    ...NB,
    path: 'text',
    channelId: 'test',
    email: 'kari.tekst@elektro-test.no',
    typed: [
      ['Kari Nordmann', (t) => `${t('profile:namesSplit', { first: 'Kari', last: 'Nordmann' })}\n\n${t('profile:fields.company.question')}`],
      ['jeg jobber i Elektro AS', question('country')],
      ['norge', question('postalCode')],
      ['Oslo 0150', question('phone')],
      ['912 34 567', question('language')],
    ],
    position: { latitude: '63.4305', longitude: '10.3951' },
  },
  {
    ...EN,
    path: 'card',
    channelId: 'emulator',
    email: 'sam.smith@sparks-test.co.uk',
    card: { firstName: 'Sam', lastName: 'Smith', company: 'Sparks Ltd', country: 'GB', postalCode: 'sw1a1aa', phone: '07911 123456', language: 'en' },
    position: { latitude: '51.5072', longitude: '-0.1276' },
  },
  {
    ...EN,
    path: 'text',
    channelId: 'test',
    email: 'sam.text@sparks-test.co.uk',
    typed: [
      ['my name is Sam', question('lastName')],
      ['Smith', question('company')],
      ['I work for Sparks Ltd', question('country')],
      ['uk', question('postalCode')],
      ['sw1a1aa', question('phone')],
      ['07911 123456', question('language')],
    ],
    position: { latitude: '53.4808', longitude: '-2.2426' },
  },
];

/** The local LMS's courses of the region, read as data (the titles the chat names). */
const COURSES = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'services', 'lms', 'localCourses.json'), 'utf8')) as Record<string, Array<{ id: string; title: Record<Language, string>; minutes: number }>>).global!;

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

const hasForm = (activity: Partial<Activity>) => (activity.attachments ?? []).some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive');

describe.each(JOURNEYS)('the whole journey over HTTP in $language, profile by $path', (c) => {
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  const conversation = `journey-${c.language}-${c.path}`;
  const textOnly = c.channelId === 'test';
  let h: Harness;
  const say = (text: string, extra: Partial<Activity> = {}) =>
    h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale, channelId: c.channelId, ...extra }));
  const activities = () => channel.received.filter((a) => a.conversation?.id === conversation && a.type === 'message');
  /** Waits for a message of the bot (after the first `from` of this conversation) that satisfies `test`. */
  const waitForMessage = async (from: number, test: (text: string, activity: Partial<Activity>) => boolean, what: string): Promise<Partial<Activity>> => {
    await waitUntil(async () => activities().slice(from).some((a) => test(a.text ?? '', a)), what, 20_000);
    return activities().slice(from).find((a) => test(a.text ?? '', a))!;
  };
  const t: Text = (key, vars) => localeText(c.language, key, vars);

  /** A message's text as the test compares it: every address in it as <link>. */
  const shown = (activity: Partial<Activity>) => (activity.text ?? '').replace(/https?:\/\/\S+/g, '<link>');
  /** The text with its choices as the channel shows them: listed and numbered only where there are no buttons (and the text does not name them). */
  const withChoices = (text: string, labels: string[]) =>
    textOnly && !labels.every((label) => text.toLowerCase().includes(label.toLowerCase())) ? `${text}\n\n${labels.map((label, i) => `${i + 1}. ${label}`).join('\n')}` : text;
  /** The text with links to pages: buttons where the channel has them, "title: address" lines in the text elsewhere. */
  const withLinks = (text: string, titles: string[]) => (textOnly && titles.length > 0 ? `${text}\n\n${titles.map((title) => `${title}: <link>`).join('\n')}` : text);
  /** A question with a page button and "done" (the station step), as the channel shows it. */
  const withPage = (text: string, title: string) => (textOnly ? withChoices(`${text}\n\n${title}: <link>`, [t('chat:station.doneButton')]) : text);

  /** How many of the conversation's messages are checked: from the password page on, every message is, in order. */
  let checked = 0;
  /** The bot's next messages (in the turn, or sent by itself): exactly these, in this order (waits for them to arrive). */
  const expectNext = async (expected: string[], what: string): Promise<Array<Partial<Activity>>> => {
    await waitUntil(async () => activities().length >= checked + expected.length, what, 20_000);
    const arrived = activities().slice(checked, checked + expected.length);
    expect({ what, messages: arrived.map(shown) }).toEqual({ what, messages: expected });
    checked += expected.length;
    return arrived;
  };

  /** The course list as the chat shows it: each course with its progress, and a Start button for each not completed. */
  const courseList = (lead: string, completed: number) => {
    const lines = COURSES.map((course, i) => `- ${t('courses:chat.line', { title: course.title[c.language], minutes: course.minutes, progress: t(`courses:status.${i < completed ? 'completed' : 'not_started'}`) })}`);
    const body = [lead, lines.join('\n'), t('courses:chat.next')].join('\n\n');
    return withLinks(body, COURSES.slice(completed).map((course) => t('courses:chat.startButton', { title: course.title[c.language] })));
  };

  const summary = () => {
    const fields = ['firstName', 'lastName', 'company', 'country', 'postalCode', 'phone', 'language'];
    const lines = fields.map((f) => `${t(`profile:fields.${f}.label`)}: ${c.shown[f]}`).join('\n');
    return withChoices(t('profile:summary.question', { lines }), [t('profile:summary.save'), t('profile:summary.change')]);
  };

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

  it('from the first hello to two stations localized; every message the bot sends by itself, word for word', async () => {
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
    const from = activities().length;
    await say(codeInMail(codeMail));
    const passwordMessage = await waitForMessage(from, (_text, activity) => linksOf(activity, '/account/password').length > 0, 'the password link');

    // the password page; the chat goes on by itself
    const passwordUrl = linksOf(passwordMessage, '/account/password')[0]!;
    const token = new URL(passwordUrl).searchParams.get('token')!;
    checked = activities().length;
    expect((await fetch(new URL('/account/password', passwordUrl), form({ token, password: PASSWORD, confirmation: PASSWORD }))).status).toBe(200);
    const checkMail = withChoices(t('registration:confirm.checkInbox', { email: c.email }), [t('registration:confirm.didntGetButton')]);
    await expectNext([t('registration:password.saved'), checkMail], 'password saved, said by itself, and the confirmation email sent');

    // the confirmation link from the email: the chat says so and the profile step begins by itself
    const confirmation = await smtp.withSubject(t('email:confirmation.subject'));
    const confirmLink = linksIn(confirmation.text ?? '', '/confirm')[0]!;
    expect((await fetch(confirmLink)).status).toBe(200);
    const profileStart =
      c.path === 'card'
        ? [t('registration:confirm.done'), `${t('profile:introCard')}\n\n${t('profile:fields.firstName.question')}`]
        : [t('registration:confirm.done'), t('profile:intro'), t('profile:fields.firstName.question')];
    const started = await expectNext(profileStart, 'confirmed, and the profile step, said by itself');

    if (c.card) {
      // a channel that shows forms: the profile form as a card, sent filled in
      const withCard = started.find(hasForm);
      expect(withCard).toBeDefined();
      const card = withCard!.attachments!.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')!.content as { actions: Array<{ data: Record<string, unknown> }> };
      await say('', { value: { ...card.actions[0]!.data, ...c.card } });
      await expectNext([summary()], 'the summary after the card');
    } else {
      // a text-only channel: no form; each answer gets the next question
      expect(started.some(hasForm)).toBe(false);
      for (const [answer, reply] of c.typed!) {
        await say(answer);
        await expectNext([reply(t)], `the reply to "${answer}"`);
      }
      await say(c.language === 'nb' ? 'norsk' : 'english');
      await expectNext([summary()], 'the summary after the last answer');
    }
    await say(c.yes);

    // the profile goes to the LMS (a job): the course list arrives by itself, or (when the job was
    // quicker than the turn) right away instead of "being prepared"
    const ready = courseList(t('courses:chat.ready'), 0);
    const jobFirst = activities().slice(checked).map(shown)[1] === ready;
    await expectNext([t('profile:saved'), jobFirst ? ready : t('courses:chat.preparing')], 'saved');
    const list = jobFirst ? activities()[checked - 1]! : (await expectNext([ready], 'the course list, by itself'))[0]!;
    const installerId = c.email.toLowerCase();
    expect((await h.app.services.installers.get(installerId))!.profile).toEqual(c.profile);
    const courseLinks = linksOf(list, '/dev/courses/');
    expect(courseLinks.map((link) => new URL(link).pathname.split('/').pop())).toEqual(COURSES.map((course) => course.id));

    // each course completed on its course page; the chat names each completion by itself, and after the last one says certified
    for (const [index, link] of courseLinks.entries()) {
      const url = new URL(link);
      const courseToken = url.searchParams.get('token')!;
      expect((await fetch(link)).status).toBe(200);
      expect((await fetch(`${url.origin}${url.pathname}/complete`, form({ token: courseToken }))).status).toBeLessThan(400);
      const course = COURSES[index]!;
      if (index < COURSES.length - 1) {
        await expectNext([courseList(t('courses:chat.courseCompleted', { title: course.title[c.language] }), index + 1)], `"${course.id}" completed, said by itself`);
      } else {
        const checkInbox = withChoices(t('account:invitation.checkInbox', { email: installerId }), [t('account:invitation.didntGetButton')]);
        await expectNext([t('account:invitation.certified'), checkInbox], 'certified, said by itself');
      }
    }

    // the invitation email, its page, the installer account set up there: the chat says so by itself
    const invitation = await smtp.withSubject(t('email:invitation.subject'));
    expect((Array.isArray(invitation.to) ? invitation.to : [invitation.to]).flatMap((to) => to?.value ?? []).map((a) => a.address)).toEqual([installerId]);
    const invitationLink = linksIn(invitation.text ?? '', '/account/invitation')[0]!;
    const page = await fetch(invitationLink);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(c.profile.company);
    const invitationToken = new URL(invitationLink).searchParams.get('token')!;
    const setUp = await fetch(new URL('/account/invitation', invitationLink), form({ token: invitationToken, firstName: c.profile.firstName, lastName: c.profile.lastName, company: c.profile.company, terms: 'accepted' }));
    expect(setUp.status).toBe(200);
    await expectNext([t('account:activated')], 'the installer account ready, said by itself');

    // on site: the first station by its MAC address, pinpointed on the location page the chat links to
    await say(c.station);
    await expectNext([withPage(t('chat:station.identify'), t('chat:station.scanButton'))], 'the station step');
    await say('0024:B100:0002:9F81');
    const [where] = await expectNext([withPage(t('chat:station.where', { mac: '0024:B100:0002:9F81' }), t('chat:station.locateButton'))], 'where is the first station');
    const locationLink = linksOf(where!, '/station/location')[0]!;
    const locationUrl = new URL(locationLink);
    expect((await fetch(locationLink)).status).toBe(200);
    const located = await fetch(new URL('/station/location', locationLink), form({
      token: locationUrl.searchParams.get('token')!,
      mac: locationUrl.searchParams.get('mac')!,
      lang: c.language,
      latitude: c.position.latitude,
      longitude: c.position.longitude,
      accuracy: '',
    }));
    expect(located.status).toBe(200);
    const latitude = Number(c.position.latitude.replace(',', '.'));
    const longitude = Number(c.position.longitude.replace(',', '.'));
    await expectNext(
      [t('chat:station.localized', { mac: '0024:B100:0002:9F81', latitude, longitude }), withPage(t('chat:station.identifyNext'), t('chat:station.scanButton'))],
      'the station localized on the page, said by itself',
    );

    // the second by the text of its QR code, pinpointed by coordinates typed in the chat
    await say('https://example.test/install?mac=0024B1000002A0B1');
    await expectNext([withPage(t('chat:station.where', { mac: '0024:B100:0002:A0B1' }), t('chat:station.locateButton'))], 'where is the second station');
    await say('60.3913, 5.3221');
    await expectNext(
      [t('chat:station.localized', { mac: '0024:B100:0002:A0B1', latitude: 60.3913, longitude: 5.3221 }), withPage(t('chat:station.identifyNext'), t('chat:station.scanButton'))],
      'the second station localized',
    );
    await say(c.done);
    await expectNext([t('chat:station.finished_other', { count: 2 })], 'two stations recorded');
    // nothing else came (a notice twice, or one not checked above)
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(activities().slice(checked).map(shown)).toEqual([]);

    const installer = (await h.app.services.installers.get(installerId))!;
    expect(installer.stage).toBe('active');
    expect((await h.app.services.stations.localized(installerId)).map(({ mac, latitude: lat, longitude: lon }) => [mac, lat, lon])).toEqual([
      ['0024:B100:0002:9F81', latitude, longitude],
      ['0024:B100:0002:A0B1', 60.3913, 5.3221],
    ]);
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

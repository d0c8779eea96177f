import type { Language } from '../../src/domain/language';
import { LOCAL_COURSES } from '../../src/services/lms/localLms';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText } from '../helpers/localeText';
import { latestCodeIn } from '../helpers/mailCodes';
import { TestChannel } from '../helpers/testChannel';

const COURSES = LOCAL_COURSES.global;

/** The Start link of a course in a text-only list ("<button title>: <url>"). */
function startLink(text: string, courseId: string): string {
  const match = new RegExp(`https?://\\S+/dev/courses/${courseId}\\?token=\\S+`).exec(text);
  if (!match) throw new Error(`no link to ${courseId} in: ${text}`);
  return match[0];
}

describe.each<[Language, string, string, string]>([
  ['nb', 'nb-NO', 'hei', 'kari@elektro.no'],
  ['en', 'en-GB', 'hi', 'sam@sparks.co.uk'],
])('course notices reach the chat over HTTP in %s', (language, locale, greeting, email) => {
  let h: Harness;
  const channel = new TestChannel();
  const conversation = `courses-${language}`;
  const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale }));

  beforeAll(async () => {
    await channel.start();
    h = await startApp();
  });
  afterAll(async () => {
    await h.stop();
    await channel.stop();
  });

  it('coursesReady shows the list by itself; a course completed on /dev/courses is announced by itself; the last certifies', async () => {
    let count = 0;
    const next = async (text: string, replies = 1) => {
      await say(text);
      count += replies;
      return channel.waitForMessages(conversation, count);
    };
    await next(greeting, 2);
    await next(localeText(language, 'chat:choice.yes'));
    await next('1');
    await next(email);
    await next(localeText(language, 'chat:choice.yes'));
    await say(await latestCodeIn(h.dataDir, h.app.services.mailer, email));
    count += 1;
    await channel.waitForMessages(conversation, count);
    // the profile step saved the profile
    await rewriteInstaller(h.app.store, email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'profile_complete' }));
    // the chat still waited for the password page: it says the password is saved and the account confirmed, then the courses are being prepared
    let messages = await next('ok', 3);
    expect(messages.slice(-3)).toEqual([
      localeText(language, 'registration:password.saved'),
      localeText(language, 'registration:confirm.done'),
      localeText(language, 'courses:chat.preparing'),
    ]);

    // the LMS enrolled the installer: the notify path shows the list without a message from the user
    expect(await h.app.services.courses.afterProfileSaved(email)).toBe('enrolled');
    messages = await channel.waitForMessages(conversation, ++count);
    const list = messages.at(-1)!;
    expect(list.startsWith(localeText(language, 'courses:chat.ready'))).toBe(true);
    for (const course of COURSES) expect(list).toContain(course.title[language]);

    // completed on the course page (the Start link from the chat): "well done" arrives by itself
    const link = startLink(list, COURSES[0]!.id);
    const token = new URL(link).searchParams.get('token')!;
    const complete = (courseId: string) =>
      fetch(new URL(`/dev/courses/${courseId}/complete`, link), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
    expect((await complete(COURSES[0]!.id)).status).toBe(200);
    messages = await channel.waitForMessages(conversation, ++count);
    expect(messages.at(-1)!.startsWith(localeText(language, 'courses:chat.courseCompleted', { title: COURSES[0]!.title[language] }))).toBe(true);
    expect(messages.at(-1)).toContain(`${COURSES[0]!.title[language]} (`);
    // said on its own, answering no message of the user's
    expect(channel.received.filter((a) => a.conversation?.id === conversation && a.type === 'message').at(-1)!.replyToId).toBeUndefined();

    for (const course of COURSES.slice(1)) expect((await complete(course.id)).status).toBe(200);
    const installer = await h.app.services.installers.get(email);
    expect(installer!.stage).toBe('certified');
    // (the fixture put the record at profile_complete without history; the course step's own stages are recorded)
    expect(installer!.stageHistory!.map((e) => e.stage)).toEqual(['new', 'courses_in_progress', 'certified']);
    // the step announced each completion once and then handed over (no "well done" for the last: certification says it);
    // the notices arrive by themselves: wait for the certification, which comes after them
    const certified = localeText(language, 'account:invitation.certified');
    while (!channel.messagesTo(conversation).some((m) => m.includes(certified))) await channel.waitForMessages(conversation, channel.messagesTo(conversation).length + 1);
    const said = channel.messagesTo(conversation).join('\n');
    expect(said.split(localeText(language, 'courses:chat.courseCompleted', { title: COURSES[0]!.title[language] })).length).toBe(2);
    expect(said.split(localeText(language, 'courses:chat.courseCompleted', { title: COURSES[1]!.title[language] })).length).toBe(2);
    // no address or token in the log
    expect(h.logs.text).not.toContain(token);
  });
});

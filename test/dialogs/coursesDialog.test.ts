import type { Activity } from 'botbuilder';
import type { Language } from '../../src/domain/language';
import { LOCAL_COURSES } from '../../src/services/lms/localLms';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText } from '../helpers/localeText';

const WORDS: Record<Language, { locale: string; hi: string; yes: string; email: string; status: string; courses: string; howLong: string; notFound: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no', status: 'fremdrift', courses: 'kurs', howLong: 'hvor lenge tar kurset', notFound: 'jeg finner ikke kurset' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk', status: 'status', courses: 'my courses', howLong: 'how long does it take', notFound: "i can't find the course" },
};

const COURSES = LOCAL_COURSES.global;

/** "I've finished", as people say it. */
const FINISHED: Record<Language, string[]> = {
  nb: ['har fullført kurset', 'er ferdig med kurset', 'jeg har fullført kurset nå'],
  en: ['i finished the course', 'done with the course', "I've completed the course"],
};

/** A course link that does not open, as people say it. */
const LINK_TROUBLE: Record<Language, string[]> = {
  nb: ['lenken virker ikke', 'linken funker ikke', 'får ikke åpnet lenka', 'send lenken på nytt'],
  en: ["the link doesn't work", 'link not working', "can't open the link", 'send the link again'],
};
type Progress = 'not_started' | number | 'completed';

/** The course list as the chat shows it, built from the locale files as data: the lead, a line per course, what to do. */
function listText(language: Language, leadKey: string, progress: Progress[], lead?: string): string {
  const lines = COURSES.map((course, i) => {
    const p = progress[i]!;
    const status =
      typeof p === 'number' ? localeText(language, 'courses:status.in_progress', { percent: p }) : localeText(language, `courses:status.${p}`);
    return `- ${localeText(language, 'courses:chat.line', { title: course.title[language], minutes: course.minutes!, progress: status })}`;
  });
  return [lead ?? localeText(language, leadKey), lines.join('\n'), localeText(language, 'courses:chat.next')].join('\n\n');
}

/** The Start/Continue button labels of the courses not completed. */
function buttonTitles(language: Language, progress: Progress[]): string[] {
  return COURSES.flatMap((course, i) => {
    const p = progress[i]!;
    if (p === 'completed') return [];
    return [localeText(language, typeof p === 'number' ? 'courses:chat.continueButton' : 'courses:chat.startButton', { title: course.title[language] })];
  });
}

async function atProfileComplete(rig: DialogRig, w: (typeof WORDS)[Language]): Promise<string[]> {
  for (const text of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(text);
  await rig.say(await rig.codeFor(w.email));
  // the profile step (another dialog) saved the profile
  await rewriteInstaller(rig.store, w.email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'profile_complete' }));
  return rig.say('ok');
}

describe.each<Language>(['nb', 'en'])('the course step in %s (text only)', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  const learner = () => ({ installerId: w.email, email: w.email, region: 'global' as const, language });

  it('prepares, lists the courses with Start links, shows progress, announces each completion once, and certifies', async () => {
    const replies = await atProfileComplete(rig, w);
    expect(replies.at(-1)).toBe(localeText(language, 'courses:chat.preparing'));

    // a question while the courses are being prepared: the answer, then where things stand
    const howLong = await rig.say(w.howLong);
    expect(howLong[0]).toBe(localeText(language, 'faq:courses'));
    expect(howLong[1]).toBe(localeText(language, 'courses:chat.stillPreparing'));

    // the LMS enrolled the installer (the coursesReady notice wakes the chat; here the next message does)
    expect(await rig.services.courses.afterProfileSaved(w.email)).toBe('enrolled');
    let [list] = await rig.say('ok');
    const notStarted: Progress[] = ['not_started', 'not_started', 'not_started'];
    expect(list!.startsWith(listText(language, 'courses:chat.ready', notStarted))).toBe(true);
    // a text-only channel gets each Start link in the text: an opaque token, no address
    const links = list!.slice(listText(language, 'courses:chat.ready', notStarted).length).trim().split('\n');
    expect(links.map((l) => l.slice(0, l.indexOf(': http')))).toEqual(buttonTitles(language, notStarted));
    for (const link of links) expect(link).toMatch(/: http:\/\/localhost:3978\/dev\/courses\/[a-z0-9-]+\?token=[A-Za-z0-9_.%-]+$/);
    expect(list).not.toContain(encodeURIComponent(w.email));

    // started and partly taken on the course page: "courses" shows the progress
    const lms = rig.services.localLms!;
    await lms.start(learner(), COURSES[0]!.id);
    await lms.advance(learner(), COURSES[0]!.id);
    [list] = await rig.say(w.courses);
    expect(list!.startsWith(listText(language, 'courses:chat.list', [40, 'not_started', 'not_started']))).toBe(true);
    expect(list).toContain(`${buttonTitles(language, [40, 'not_started', 'not_started'])[0]}: http`);

    // completed on the page: announced once with the list, whichever turn notices it
    await lms.complete(learner(), COURSES[0]!.id);
    expect(await rig.services.courses.courseCompleted(w.email, COURSES[0]!.id)).toBe('courseCompleted');
    [list] = await rig.say('ok');
    const doneOne: Progress[] = ['completed', 'not_started', 'not_started'];
    const lead = localeText(language, 'courses:chat.courseCompleted', { title: COURSES[0]!.title[language] });
    expect(list!.startsWith(listText(language, '', doneOne, lead))).toBe(true);
    expect(list).not.toContain(buttonTitles(language, notStarted)[0]);
    const again = await rig.say('ok');
    expect(again.join('\n')).not.toContain(lead);

    // status shows the journey and the progress per course
    const [status] = await rig.say(w.status);
    expect(status).toContain(`➡️ **${localeText(language, 'journey:stage.courses_in_progress')}** ${localeText(language, 'journey:youAreHere')}`);
    const courseStatus = [
      localeText(language, 'courses:statusHeading'),
      ...COURSES.map((course, i) =>
        `- ${localeText(language, 'courses:chat.line', { title: course.title[language], minutes: course.minutes!, progress: localeText(language, `courses:status.${doneOne[i]}`) })}`,
      ),
    ].join('\n');
    expect(status).toContain(courseStatus);

    // the last ones completed: certified, and the step hands over
    for (const course of COURSES.slice(1)) await lms.complete(learner(), course.id);
    expect(await rig.services.courses.courseCompleted(w.email, COURSES[2]!.id)).toBe('certified');
    expect(await rig.services.courses.courseCompleted(w.email, COURSES[2]!.id)).toBe('alreadyCertified');
    const after = await rig.say('ok');
    expect(after.join('\n')).not.toContain(localeText(language, 'courses:chat.reminder'));
    expect((await rig.services.installers.get(w.email))!.stage).toBe('certified');
  });

  it('says the courses are ready when the LMS assigned them before the step began (the job can beat the turn that saved the profile)', async () => {
    for (const text of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(text);
    await rig.say(await rig.codeFor(w.email));
    await rewriteInstaller(rig.store, w.email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'profile_complete' }));
    expect(await rig.services.courses.afterProfileSaved(w.email)).toBe('enrolled');
    const notStarted: Progress[] = ['not_started', 'not_started', 'not_started'];
    const first = await rig.say('ok');
    expect(first.some((text) => text.startsWith(listText(language, 'courses:chat.ready', notStarted)))).toBe(true);
    // once one is started, coming back to the step shows the progress under "your courses"
    await rig.services.localLms!.start(learner(), COURSES[0]!.id);
    const again = await rig.say(w.courses);
    expect(again[0]!.startsWith(localeText(language, 'courses:chat.list'))).toBe(true);
  });

  it('answers "I can\'t find the course" for where the installer is, with the list in the same message; anything else gets a reminder', async () => {
    await atProfileComplete(rig, w);
    await rig.services.courses.afterProfileSaved(w.email);
    await rig.say('ok');
    const notFound = await rig.say(w.notFound);
    expect(notFound).toHaveLength(1);
    expect(notFound[0]!.startsWith(listText(language, 'courses:chat.about', ['not_started', 'not_started', 'not_started']))).toBe(true);
    expect(notFound[0]).not.toContain(localeText(language, 'faq:courses'));
    const other = await rig.say('blåbærsyltetøy');
    expect(other[0]).toContain(localeText(language, 'courses:chat.reminder'));
  });

  it('while the courses are prepared, a third message it cannot take says so and what it waits for, with no button to tap', async () => {
    await atProfileComplete(rig, w);
    const preparing = localeText(language, 'courses:chat.stillPreparing');
    expect(await rig.say('blåbærsyltetøy')).toEqual([preparing]);
    expect(await rig.say('qwertzuiop')).toEqual([`${preparing}\n\n${localeText(language, 'chat:question.stuck')}`]);
    expect(await rig.say('asdfghjkl')).toEqual([`${localeText(language, 'chat:question.stillStuckWaiting')}\n\n${preparing}`]);
  });

  it('"the link doesn\'t work" gets the links again and the way to a person, not "nothing is waiting"', async () => {
    await atProfileComplete(rig, w);
    await rig.services.courses.afterProfileSaved(w.email);
    await rig.say('ok');
    const notStarted: Progress[] = ['not_started', 'not_started', 'not_started'];
    for (const text of LINK_TROUBLE[language]) {
      const replies = await rig.say(text);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.startsWith(listText(language, '', notStarted, localeText(language, 'courses:chat.linksAgain')))).toBe(true);
      expect(replies.join('\n')).not.toContain(localeText(language, 'chat:notHere.resend'));
    }
  });

  it('"I\'ve finished the course" before the LMS has said so: what it has reported, and that the chat will say when it does', async () => {
    await atProfileComplete(rig, w);
    await rig.services.courses.afterProfileSaved(w.email);
    await rig.say('ok');
    await rig.services.localLms!.complete(learner(), COURSES[0]!.id);
    expect(await rig.services.courses.courseCompleted(w.email, COURSES[0]!.id)).toBe('courseCompleted');
    await rig.say('ok');
    for (const text of FINISHED[language]) {
      const replies = await rig.say(text);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.startsWith(listText(language, '', ['completed', 'not_started', 'not_started'], localeText(language, 'courses:chat.notCompletedYet')))).toBe(true);
    }
  });

  it('help during the step explains it and shows the list again', async () => {
    await atProfileComplete(rig, w);
    await rig.services.courses.afterProfileSaved(w.email);
    await rig.say('ok');
    const help = await rig.say(language === 'nb' ? 'hjelp' : 'help');
    expect(help[0]).toContain(localeText(language, 'chat:help.topics.courses'));
    expect(help[1]!.startsWith(listText(language, 'courses:chat.list', ['not_started', 'not_started', 'not_started']))).toBe(true);
  });
});

const QUESTIONS: Record<Language, string[]> = {
  nb: ['hvor lenge tar kurset', 'hvor lang tid tar kursene?', 'hvor lenge tar det', 'jeg finner ikke kurset', 'finner ikke kursene', 'hvor er kurset', 'hvor lenge tar kurse', 'finer ikke kurset', 'hvor lang tid tar det å bli sertifisert'],
  en: ['how long does it take', 'how long do the courses take?', 'how long is the course', "i can't find the course", 'cant find the courses', 'where is the course', 'how lnog does the course take', 'cant fnd the course', 'how long does certification take'],
};

/**
 * At the course list (nothing started), each message and the lead its one reply must start with;
 * returns those answered otherwise, with what came.
 */
async function misreadAtCourseList(language: Language, cases: ReadonlyArray<readonly [string, string]>): Promise<string[]> {
  const w = WORDS[language];
  const rig = await createDialogRig(w.locale);
  try {
    await atProfileComplete(rig, w);
    await rig.services.courses.afterProfileSaved(w.email);
    await rig.say('ok');
    const wrong: string[] = [];
    for (const [text, lead] of cases) {
      const replies = await rig.say(text);
      if (replies.length !== 1 || !replies[0]!.startsWith(listText(language, lead, ['not_started', 'not_started', 'not_started']))) wrong.push(`${text} → ${replies.join(' | ').slice(0, 120)}`);
    }
    return wrong;
  } finally {
    await rig.close();
  }
}

describe.each<Language>(['nb', 'en'])('questions about the courses in %s, however phrased', (language) => {
  it('are answered for the step (not with the guide\'s answer, written for before it), the list in the same message', async () => {
    expect(await misreadAtCourseList(language, QUESTIONS[language].map((question) => [question, 'courses:chat.about'] as const))).toEqual([]);
  });

  it('before the step (the profile not yet saved) they get the guide\'s answer', async () => {
    const w = WORDS[language];
    const rig = await createDialogRig(w.locale);
    try {
      for (const text of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(text);
      const replies = await rig.say(QUESTIONS[language][0]!);
      expect(replies[0]).toBe(localeText(language, 'faq:courses'));
    } finally {
      await rig.close();
    }
  });
});

/** The course list asked for the way people on a site type it: the list, one message, under the lead of what they meant. */
const COURSE_WORDS: Record<Language, Array<[string, string]>> = {
  nb: [
    ['kurs', 'courses:chat.list'],
    ['Kurs', 'courses:chat.list'],
    ['vis kurs', 'courses:chat.list'],
    ['kursliste', 'courses:chat.list'],
    ['kurslista', 'courses:chat.list'],
    ['neste kurs', 'courses:chat.list'],
    ['kursene', 'courses:chat.about'],
    ['lenke til kurset', 'courses:chat.about'],
    ['ferdig', 'courses:chat.notCompletedYet'],
    ['jeg er ferdig', 'courses:chat.notCompletedYet'],
    // found playing it through: "har fullført alt" was offered "start over"
    ['har fullført alt', 'courses:chat.notCompletedYet'],
    ['jeg har fullført alle kursene', 'courses:chat.notCompletedYet'],
  ],
  en: [
    ['my courses', 'courses:chat.list'],
    ['list', 'courses:chat.list'],
    ['course list', 'courses:chat.list'],
    ['courses', 'courses:chat.about'],
    ['Courses', 'courses:chat.about'],
    ['show courses', 'courses:chat.about'],
    ['start the course', 'courses:chat.about'],
    ['link to the course', 'courses:chat.about'],
    ['done', 'courses:chat.notCompletedYet'],
    ["i'm done", 'courses:chat.notCompletedYet'],
    ['done them all', 'courses:chat.notCompletedYet'],
    ["i've finished all the courses", 'courses:chat.notCompletedYet'],
    ['i finished the first course', 'courses:chat.notCompletedYet'],
  ],
};

describe.each<Language>(['nb', 'en'])('the course list asked for in everyday words in %s', (language) => {
  it('gets the list in one message; "ferdig"/"done" is about the course, never "cancel"', async () => {
    expect(await misreadAtCourseList(language, COURSE_WORDS[language])).toEqual([]);
  });
});

describe.each<Language>(['nb', 'en'])('the course list in web chat in %s', (language) => {
  it('has one link button per course not completed, the address only in the button', async () => {
    const w = WORDS[language];
    const rig = await createDialogRig(w.locale, 'webchat');
    try {
      await atProfileComplete(rig, w);
      await rig.services.courses.afterProfileSaved(w.email);
      await rig.services.localLms!.complete({ installerId: w.email, email: w.email, region: 'global', language }, COURSES[1]!.id);
      const replies = await rig.sayActivities('ok');
      const list = replies.find((r) => r.text?.startsWith(localeText(language, 'courses:chat.ready'))) as Partial<Activity>;
      expect(list.text).toBe(listText(language, 'courses:chat.ready', ['not_started', 'completed', 'not_started']));
      const card = list.attachments![0]!.content as { buttons: Array<{ type: string; title: string; value: string }> };
      expect(card.buttons.map((b) => b.title)).toEqual(buttonTitles(language, ['not_started', 'completed', 'not_started']));
      expect(card.buttons.every((b) => b.type === 'openUrl' && /\/dev\/courses\/[a-z0-9-]+\?token=/.test(b.value))).toBe(true);
      expect(list.suggestedActions).toBeUndefined();
    } finally {
      await rig.close();
    }
  });
});

import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';

/**
 * Asking for a person the way installers write it (played through in both languages): each
 * phrasing, said right after the greeting, opens a ticket and puts the installer in the queue.
 * A question for a phone number gets the support page, which lists them. While waiting, "avbryt"
 * or "never mind" leaves the queue as "back to the bot" does.
 */
const FOR_A_PERSON: Record<Language, string[]> = {
  nb: [
    'kan jeg ringe noen?',
    'snakke med en person',
    'kundestøtte',
    'supporten takk',
    'kontakt support',
    'trenger hjelp fra en ansatt',
    'dette funker ikke, jeg vil snakke med noen',
    'få en operatør',
    'la meg snakke med supporten',
    'jeg trenger en ansatt',
  ],
  en: [
    'can i call someone?',
    'speak to a person',
    'customer support',
    'support pls',
    'contact support',
    'need help from staff',
    'this doesnt work, i want to talk to someone',
    'operator',
    'let me talk to support',
    'i need a staff member',
  ],
};
/** Messages the model reads as asking for a person, but not surely (which ones depends on the trained model). */
// ("jeg lurer på en ting" was one until "I have a question" was taught: it asks to ask something; "can i ask someone" and "can someone answer me" now clearly ask for a person)
// ("is there anyone who can help" was the English one until the site-error lines were taught: it now offers help as well as a person)
const HALF_A_PERSON: Record<Language, string> = { nb: 'kan jeg spørre noen', en: 'anyone around to help' };

/** How long the wait is, asked while waiting (found playing it through: no answer at all). */
const HOW_LONG: Record<Language, string[]> = {
  nb: ['hvor lenge må jeg vente?', 'hvor lang tid tar det', 'kommer det noen snart?'],
  en: ['how long do i have to wait', 'how much longer?', 'is anyone coming'],
};

const PHONE_NUMBER: Record<Language, string[]> = {
  nb: ['har dere telefon?', 'hva er telefonnummeret til dere'],
  en: ['do you have a phone number?', 'whats your phone number'],
};
/** Said while waiting in the queue: the installer leaves it and is back with the bot. */
const LEAVING_THE_QUEUE: Record<Language, string[]> = {
  nb: ['tilbake til boten', 'glem det', 'avbryt', 'avslutt', 'fortsett med boten', 'jeg klarer meg selv', 'gå ut av køen', 'gidder ikke vente', 'glem det, jeg prøver selv'],
  en: ['back to the bot', 'never mind', 'cancel', 'quit', 'continue with the bot', 'i will manage myself', 'leave the queue', "i don't want to wait", 'forget it ill do it myself'],
};
const SUPPORT_URL: Record<Language, string> = { nb: 'https://www.chargepoint.com/no-no/support', en: 'https://www.chargepoint.com/en-gb/support' };

/** A new chat in the rig's real dialogs, greeted; closed after `run`. */
async function afterGreeting(locale: string, hi: string, run: (rig: DialogRig) => Promise<void>): Promise<void> {
  const rig = await createDialogRig(locale);
  try {
    await rig.say(hi);
    await run(rig);
  } finally {
    await rig.close();
  }
}

describe.each([
  ['nb', 'nb-NO', 'hei'],
  ['en', 'en-GB', 'hi'],
] as const)('asking for a person in %s', (language, locale, hi) => {
  it.each(FOR_A_PERSON[language])('%j opens a ticket and queues the installer', (text) =>
    afterGreeting(locale, hi, async (rig) => {
      const replies = (await rig.say(text)).filter((r) => r !== '');
      const number = Number(/#(\d+)/.exec(replies[0] ?? '')?.[1]);
      expect(replies[0]).toBe(localeText(language, 'support:queued', { number, position: 1, minutes: 5 }));
      expect((await rig.services.support.queue()).map((t) => t.number)).toEqual([number]);
    }),
  );

  // found playing it through: "jeg lurer på en ting" (I'm wondering about something) opened a ticket for support
  it('a message that only half reads as asking for a person offers one, and opens no ticket until it is tapped', () =>
    afterGreeting(locale, hi, async (rig) => {
      const human = localeText(language, 'chat:guess.human');
      // a person is offered first (with "I have a question" beside it when the model reads that too, as the retrained one does for nb)
      const offered = [localeText(language, 'chat:didYouMean.one', { first: human }), localeText(language, 'chat:didYouMean.two', { first: human, second: localeText(language, 'chat:guess.askQuestion') })];
      const [asked, ...more] = await rig.say(HALF_A_PERSON[language]);
      expect(more).toEqual([]);
      expect(offered).toContain(asked);
      expect(await rig.services.support.queue()).toEqual([]);
      const replies = (await rig.say(human)).filter((r) => r !== '');
      expect(replies[0]).toMatch(/#\d+/);
      expect(await rig.services.support.queue()).toHaveLength(1);
    }),
  );

  it.each(LEAVING_THE_QUEUE[language])('%j while waiting leaves the queue', (text) =>
    afterGreeting(locale, hi, async (rig) => {
      await rig.say(FOR_A_PERSON[language][0]!);
      expect(await rig.services.support.queue()).toHaveLength(1);
      const replies = await rig.say(text);
      expect(replies.filter((r) => r !== '')[0]).toBe(localeText(language, 'support:left'));
      expect(await rig.services.support.queue()).toEqual([]);
    }),
  );

  it.each(HOW_LONG[language])('%j while waiting: the place in the queue and the wait; support sees the question, and the wait goes on', (text) =>
    afterGreeting(locale, hi, async (rig) => {
      await rig.say(FOR_A_PERSON[language][0]!);
      expect(await rig.say(text)).toEqual([localeText(language, 'support:stillQueued', { position: 1, minutes: 5 })]);
      const [waiting] = await rig.services.support.queue();
      expect(waiting).toBeDefined();
      expect((await rig.services.support.ticket(waiting!.id))?.transcript.at(-1)?.text).toBe(text);
    }),
  );

  it.each(PHONE_NUMBER[language])('%j gets the support page, which lists the phone numbers', (text) =>
    afterGreeting(locale, hi, async (rig) => {
      const [answer] = await rig.say(text);
      // (the FAQ link follows the region, not chosen yet: read from the second line)
      const faqUrl = /https:\/\/\S+/.exec(answer!.split('\n')[1] ?? '')?.[0] ?? '';
      expect(answer).toBe(localeText(language, 'faq:supportLinks', { supportUrl: SUPPORT_URL[language], faqUrl }));
      expect(await rig.services.support.queue()).toEqual([]);
    }),
  );
});

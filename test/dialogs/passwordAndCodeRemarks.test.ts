import { parseEmail } from '../../src/domain/email';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText, withNumberedChoices } from '../helpers/localeText';

/**
 * What a new installer on a site types while the registration waits for them (found playing it
 * through): at the password step, that they are done or have set the password; at the code step,
 * that they cannot find the code. Each is understood as what it is, in both languages.
 */
const WORDS = {
  nb: {
    locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no', help: 'hjelp',
    // "ferdig" cancelled the registration, "er ferdig" offered «Avbryt», "har satt passord" got the can't-log-in answer,
    // "passordet er satt" was warned about as a password typed into the chat
    done: ['ferdig', 'er ferdig', 'har satt passord', 'passordet er satt', 'passordet er satt nå', 'jeg har satt passordet nå'],
    // each sent a new code at once, the one on its way no longer valid
    whereIsCode: ['hvor er koden', 'fant ikke koden', 'finner ikke koden'],
  },
  en: {
    locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk', help: 'help',
    done: ['done', "i'm done", 'set the password', "i've set my password", 'password is set now'],
    whereIsCode: ["where's the code", "can't find the code", 'where is the code'],
  },
} as const;

describe.each<Language>(['nb', 'en'])('remarks at the password and code steps in %s', (language) => {
  const w = WORDS[language];
  const id = (parseEmail(w.email) as { id: string }).id;
  let rig: DialogRig;

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  /** Registers through the chat up to the code question. */
  async function atCodeStep(): Promise<void> {
    for (const text of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(text);
  }

  /** Registers up to the password page; returns the link the step shows. */
  async function atPasswordStep(): Promise<string> {
    await atCodeStep();
    const shown = (await rig.say(await rig.codeFor(w.email))).join('\n');
    return /https?:\/\/\S+/.exec(shown)![0];
  }

  it('"done" / "I\'ve set the password" before the page saved one: said plainly, with the same link (was cancel, or the can\'t-log-in answer)', async () => {
    const link = await atPasswordStep();
    const notYet = `${localeText(language, 'registration:password.notSetYet', { minutes: 30 })}\n\n${localeText(language, 'registration:password.button')}: ${link}`;
    for (const say of w.done) expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [notYet] });
    // nothing was taken for a password typed into the chat, and the registration is still open at this step
    expect(await rig.services.registration.wasTypedInChat(id, language === 'nb' ? 'satt nå' : 'set now')).toBe(false);
    expect((await rig.services.installers.get(id))?.stage).toBe('new');
    expect((await rig.say(w.help)).join('\n')).toContain(link);
  });

  it('"done" once the page saved the password: the step goes on (was cancel)', async () => {
    await atPasswordStep();
    await rig.services.registration.setPassword(id, 'Ladestasjon-Bergen-2026!');
    const replies = await rig.say(w.done[0]);
    expect(replies[0]).toBe(localeText(language, 'registration:password.saved'));
    expect(replies[1]).toContain(localeText(language, 'registration:confirm.checkInbox', { email: w.email }));
  });

  it('"where\'s the code" at the code question: where it went, the spam folder, how long it works and "new code"; the code on its way still works (was a new code at once)', async () => {
    await atCodeStep();
    const code = await rig.codeFor(w.email);
    const question = withNumberedChoices(language, localeText(language, 'registration:code.question', { email: w.email }), [
      'registration:code.newCodeButton',
      'registration:code.otherAddressButton',
    ]);
    for (const say of w.whereIsCode) {
      expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [localeText(language, 'faq:codeArrival', { codeMinutes: 10 }), question] });
    }
    // how long the code works is part of the answer
    expect(localeText(language, 'faq:codeArrival', { codeMinutes: 10 })).toContain(language === 'nb' ? '10 minutter' : '10 minutes');
    // no new code was sent: the first one is still the newest, and it is accepted
    expect(await rig.codeFor(w.email)).toBe(code);
    expect((await rig.say(code)).join('\n')).toContain(localeText(language, 'registration:password.prompt', { minutes: 30 }));
  });
});

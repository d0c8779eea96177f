import { parseEmail } from '../../src/domain/email';
import { faqLinks } from '../../src/domain/faq';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText, withNumberedChoices } from '../helpers/localeText';

/**
 * Found playing new installers through the registration:
 * - "passordlenken sier at den har gått ut" was read as "send the confirmation email again" (after the
 *   password), as the can't-log-in answer, or offered as "later". At the password step it is a fresh
 *   password link; once the password is saved it is said so, and nothing is sent.
 * - "har sjekket søppelpost også, ingenting der" got "did you mean support links?" (or the guide's
 *   answer about the confirmation email). At the code and confirmation steps: where it went (so a typo in
 *   the address shows), what can be done, and a person one tap away; no new code before it is asked for.
 */
const WORDS = {
  nb: {
    locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no', choosePassword: 'Velg passord',
    passwordLink: ['passordlenken sier at den har gått ut', 'lenken til passordet funker ikke lenger', 'passord lenka har gatt ut'],
    nothingCame: ['har sjekket søppelpost også, ingenting der', 'ikke fått noen mail', 'har kikket i spam, ingenting der'],
  },
  en: {
    locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk', choosePassword: 'Choose password',
    passwordLink: ['the password link says it expired', 'the link to make a password doesnt work', 'cant use the password link', 'password link wont open anymore'],
    nothingCame: ['checked spam too, nothing there', 'no mail came at all', 'nothing in junk either'],
  },
} as const;

const linkIn = (text: string) => /https?:\/\/\S+/.exec(text)?.[0];

describe.each<Language>(['nb', 'en'])('the password link and "nothing came", in %s', (language) => {
  const w = WORDS[language];
  const id = (parseEmail(w.email) as { id: string }).id;
  const text = (key: string, vars?: Record<string, string | number>) => localeText(language, key, vars);
  const person = `- ${text('chat:guess.human')}`;
  let rig: DialogRig;

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  async function atCodeStep(): Promise<void> {
    for (const say of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(say);
  }

  /** Registers up to the password page; returns the link shown. */
  async function atPasswordStep(): Promise<string> {
    await atCodeStep();
    return linkIn((await rig.say(await rig.codeFor(w.email))).join('\n'))!;
  }

  /** Registers, saves the password (as the page does): the chat is at "check your inbox". */
  async function atConfirmationStep(): Promise<void> {
    await atPasswordStep();
    await rig.services.registration.setPassword(id, 'Ladestasjon-Bergen-2026!');
    await rig.say('ok');
  }

  const checkInbox = () => withNumberedChoices(language, text('registration:confirm.checkInbox', { email: w.email }), ['registration:confirm.didntGetButton']);

  it('"the password link has expired" at the password step: a fresh password link (the old one no longer works)', async () => {
    let shown = await atPasswordStep();
    for (const say of w.passwordLink) {
      const replies = await rig.say(say);
      expect({ say, replies: replies.map((r) => r.replace(/https?:\/\/\S+/, 'URL')) }).toEqual({
        say,
        replies: [`${text('registration:password.newLink', { minutes: 30 })}\n\n${w.choosePassword}: URL`],
      });
      const fresh = linkIn(replies[0]!)!;
      expect(fresh).not.toBe(shown);
      shown = fresh;
    }
    // no confirmation email: the password is not set yet
    expect((await rig.services.installers.get(id))?.stage).toBe('new');
  });

  it('"the password link has expired" once the password is saved: said so, the confirmation next, and nothing sent (it resent the confirmation email)', async () => {
    await atConfirmationStep();
    const sent = (await rig.services.installers.get(id))!.confirmationsSent.length;
    for (const say of w.passwordLink) {
      expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [`${text('registration:confirm.passwordSaved')}\n\n${checkInbox()}`] });
    }
    expect((await rig.services.installers.get(id))!.confirmationsSent).toHaveLength(sent);
  });

  it('"the password link has expired" later on: what the link is for, and the question stays open', async () => {
    await atConfirmationStep();
    await rewriteInstaller(rig.store, id, (i) => ({ ...i, stage: 'profile_complete' }));
    expect((await rig.say('ok')).at(-1)).toBe(text('courses:chat.preparing'));
    expect(await rig.say(w.passwordLink[0])).toEqual([text('faq:passwordLink', faqLinks('global', language)), text('courses:chat.stillPreparing')]);
  });

  it('"checked spam too, nothing there" at the code step: where the code went, a new code or another address, a person one tap away (its button opens a ticket); the code on its way still works', async () => {
    await atCodeStep();
    const code = await rig.codeFor(w.email);
    const offer = `${withNumberedChoices(language, text('registration:code.nothingCame', { email: w.email }), ['registration:code.newCodeButton', 'registration:code.otherAddressButton'])}\n${person}`;
    for (const say of w.nothingCame) expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [offer] });
    // no new code was sent
    expect(await rig.codeFor(w.email)).toBe(code);
    // "new code" then sends one
    expect(await rig.say('1')).toEqual([withNumberedChoices(language, text('registration:code.resent', { email: w.email }), ['registration:code.newCodeButton', 'registration:code.otherAddressButton'])]);
    expect(await rig.codeFor(w.email)).not.toBe(code);
    // the person button opens a ticket
    expect(await rig.say(w.nothingCame[0])).toEqual([offer]);
    const replies = (await rig.say(text('chat:guess.human'))).filter((r) => r !== '');
    expect(replies[0]).toMatch(/#\d+/);
    expect(await rig.services.support.queue()).toHaveLength(1);
  });

  it('"checked spam too, nothing there" at the confirmation step: where it went, send again / change address / wait, and a person one tap away', async () => {
    await atConfirmationStep();
    const options = `${withNumberedChoices(language, text('registration:confirm.options', { email: w.email }), ['registration:confirm.option.resend', 'registration:confirm.option.change', 'registration:confirm.option.wait'])}\n${person}`;
    for (const say of w.nothingCame) {
      expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [options] });
      await rig.say('3');
    }
    await rig.say(w.nothingCame[0]);
    expect(await rig.say('1')).toEqual([text('registration:confirm.resent', { email: w.email })]);
    await rig.say(w.nothingCame[0]);
    const replies = (await rig.say(text('chat:guess.human'))).filter((r) => r !== '');
    expect(replies[0]).toMatch(/#\d+/);
    expect(await rig.services.support.queue()).toHaveLength(1);
  });
});

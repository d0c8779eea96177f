import type { Activity, Attachment, CardAction } from 'botbuilder';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText, withNumberedChoices } from '../helpers/localeText';

/**
 * A choice is shown once, the channel's way: suggested actions in web chat (Direct Line, the
 * Emulator), a hero card with imBack buttons in Teams, a numbered list in the text where the
 * channel has neither. A link is one button. Expected texts are read from the locale files.
 */
const WORDS: Record<Language, { locale: string; hi: string; yes: string; email: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari.kanal@elektro.no' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam.channel@sparks.co.uk' },
};

/** A channel id the bot knows nothing about: text only. */
const TEXT_ONLY = 'sms';

const HERO = 'application/vnd.microsoft.card.hero';
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

const heroButtons = (attachment: Attachment | undefined) => (attachment?.content as { buttons?: CardAction[] } | undefined)?.buttons ?? [];
const suggested = (activity: Partial<Activity>) => activity.suggestedActions?.actions ?? [];

describe.each<Language>(['nb', 'en'])('choices and buttons per channel, in %s', (language) => {
  const w = WORDS[language];
  const text = (key: string, vars?: Record<string, string | number>) => localeText(language, key, vars);
  const yesNo = () => [text('chat:choice.yes'), text('chat:choice.no')];
  let rig: DialogRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  /** The start question, the last reply to the greeting. */
  async function startQuestion(channelId: string): Promise<Partial<Activity>> {
    rig = await createDialogRig(w.locale, channelId);
    const replies = await rig.sayActivities(w.hi);
    expect(replies).toHaveLength(2);
    return replies[1]!;
  }

  /** Registers up to the password step and returns the password prompt. */
  async function passwordPrompt(channelId: string): Promise<Partial<Activity>> {
    rig = await createDialogRig(w.locale, channelId);
    for (const said of [w.hi, w.yes, '1']) await rig.say(said);
    // (where the address is shown back before the code is sent, "yes" confirms it)
    const [afterEmail] = await rig.say(w.email);
    if (!afterEmail!.startsWith(text('registration:code.sent', { email: w.email, minutes: 10 }))) await rig.say(w.yes);
    const replies = await rig.sayActivities(await rig.codeFor(w.email));
    expect(replies).toHaveLength(1);
    return replies[0]!;
  }

  it.each(['webchat', 'directline', 'emulator'])('%s: suggested actions only, no card, no list in the text', async (channelId) => {
    const question = await startQuestion(channelId);
    expect(question.text).toBe(text('chat:root.startQuestion'));
    expect(suggested(question).map((a) => [a.type, a.title, a.value])).toEqual(yesNo().map((l) => ['imBack', l, l]));
    expect(question.attachments ?? []).toEqual([]);
  });

  it('msteams: a hero card with imBack buttons only, no suggested actions, no list in the text', async () => {
    const question = await startQuestion('msteams');
    expect(question.text).toBe(text('chat:root.startQuestion'));
    expect(question.suggestedActions).toBeUndefined();
    expect(question.attachments).toHaveLength(1);
    expect(question.attachments![0]!.contentType).toBe(HERO);
    expect(heroButtons(question.attachments![0]).map((b) => [b.type, b.title, b.value])).toEqual(yesNo().map((l) => ['imBack', l, l]));
  });

  it('a text-only channel: the choices numbered in the text, no buttons; the number answers', async () => {
    const question = await startQuestion(TEXT_ONLY);
    expect(question.text).toBe(withNumberedChoices(language, text('chat:root.startQuestion'), ['chat:choice.yes', 'chat:choice.no']));
    expect(question.suggestedActions).toBeUndefined();
    expect(question.attachments ?? []).toEqual([]);
    const [region] = await rig!.say('1');
    expect(region!.startsWith(text('registration:region.question', { suggested: text('registration:region.global') }))).toBe(true);
  });

  it.each(['webchat', 'msteams', TEXT_ONLY])('%s: a wrong answer gets its reason and the question again in one message, choices shown once', async (channelId) => {
    await startQuestion(channelId);
    const replies = await rig!.sayActivities(language === 'nb' ? 'kanskje' : 'maybe');
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    const asked = `${text('chat:question.pickOne')}\n\n${text('chat:root.startQuestion')}`;
    expect(reply!.text).toBe(channelId === TEXT_ONLY ? withNumberedChoices(language, asked, ['chat:choice.yes', 'chat:choice.no']) : asked);
    const shown = [suggested(reply!).length > 0, (reply!.attachments ?? []).length > 0, /\n1\. /.test(reply!.text ?? '')];
    expect(shown.filter(Boolean)).toHaveLength(1);
  });

  it('webchat: the password page is one openUrl button; the address is not in the text', async () => {
    const prompt = await passwordPrompt('webchat');
    expect(prompt.text).toBe(text('registration:password.prompt', { minutes: 30 }));
    expect(prompt.attachments).toHaveLength(1);
    expect(prompt.attachments![0]!.contentType).toBe(HERO);
    const buttons = heroButtons(prompt.attachments![0]);
    expect(buttons).toHaveLength(1);
    expect(buttons[0]).toMatchObject({ type: 'openUrl', title: text('registration:password.button') });
    expect(String(buttons[0]!.value)).toMatch(/\/account\/password\?token=/);
    expect(prompt.suggestedActions).toBeUndefined();
  });

  it('msteams: the password page is one Adaptive Card action that opens it as a Teams dialog', async () => {
    const prompt = await passwordPrompt('msteams');
    expect(prompt.text).toBeUndefined();
    expect(prompt.attachments).toHaveLength(1);
    const card = prompt.attachments![0]!;
    expect(card.contentType).toBe(ADAPTIVE);
    const content = card.content as { body: Array<{ text: string }>; actions: Array<{ title: string; data: Record<string, unknown> }> };
    expect(content.body.map((b) => b.text)).toEqual([text('registration:password.prompt', { minutes: 30 })]);
    expect(content.actions).toHaveLength(1);
    expect(content.actions[0]).toMatchObject({ title: text('registration:password.button'), data: { msteams: { type: 'task/fetch' } } });
    expect(JSON.stringify(prompt)).not.toMatch(/token=/);
  });

  it('a text-only channel: the password page address in the text, once, with its label', async () => {
    const prompt = await passwordPrompt(TEXT_ONLY);
    const [before, link] = prompt.text!.split('\n\n');
    expect(before).toBe(text('registration:password.prompt', { minutes: 30 }));
    expect(link).toMatch(new RegExp(`^${text('registration:password.button')}: http://\\S+/account/password\\?token=\\S+$`));
    expect(prompt.text!.match(/token=/g)).toHaveLength(1);
    expect(prompt.attachments ?? []).toEqual([]);
  });

  describe('on site: the page button and "done"', () => {
    async function identify(channelId: string): Promise<Partial<Activity>> {
      rig = await createDialogRig(w.locale, channelId);
      await rig.registerActive(w);
      const replies = await rig.sayActivities(language === 'nb' ? 'hjelp' : 'help');
      return replies.at(-1)!;
    }

    it('webchat: an openUrl button on a card and "done" as a suggested action', async () => {
      const question = await identify('webchat');
      expect(question.text).toBe(text('chat:station.identify'));
      expect(heroButtons(question.attachments?.[0]).map((b) => [b.type, b.title])).toEqual([['openUrl', text('chat:station.scanButton')]]);
      expect(suggested(question).map((a) => a.title)).toEqual([text('chat:station.doneButton')]);
    });

    it('msteams: one Adaptive Card with the Teams dialog action and "done"', async () => {
      const question = await identify('msteams');
      expect(question.suggestedActions).toBeUndefined();
      expect(question.attachments).toHaveLength(1);
      const content = question.attachments![0]!.content as { body: Array<{ text: string }>; actions: Array<{ title: string; data: Record<string, unknown> }> };
      expect(content.body[0]!.text).toBe(text('chat:station.identify'));
      expect(content.actions.map((a) => a.title)).toEqual([text('chat:station.scanButton'), text('chat:station.doneButton')]);
      expect(content.actions[0]!.data).toMatchObject({ msteams: { type: 'task/fetch' } });
      expect(content.actions[1]!.data).toEqual({ msteams: { type: 'imBack', value: text('chat:station.doneButton') } });
    });

    it('a text-only channel: the page address once and "done" numbered', async () => {
      const question = await identify(TEXT_ONLY);
      const lines = question.text!.split('\n\n');
      expect(lines[0]).toBe(text('chat:station.identify'));
      expect(lines[1]).toMatch(new RegExp(`^${text('chat:station.scanButton')}: http://\\S+/station/scan\\?token=\\S+$`));
      expect(lines[2]).toBe(`1. ${text('chat:station.doneButton')}`);
      expect(question.attachments ?? []).toEqual([]);
    });
  });
});

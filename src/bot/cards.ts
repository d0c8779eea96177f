import { ActionTypes, type Activity, type CardAction, CardFactory, type TurnContext } from 'botbuilder';
import type { Phrases } from './turnLanguage';

/**
 * Every choice, button and card the bot shows is built here, from texts already rendered from
 * locale keys and from what the channel can show. A choice is shown once: suggested actions
 * where the channel has them, card buttons where it has only those, and a list in the text
 * where it has neither. Typing always works as well, so the buttons are a convenience.
 */

/** What a channel can show besides text. */
export interface ChannelCapabilities {
  /** Suggested actions: buttons under the message that go away once one is pressed. */
  suggestedActions: boolean;
  /** Buttons on a card (hero card, Adaptive Card actions). */
  cardButtons: boolean;
  /** Pages that open as a Teams dialog (task module) from an Adaptive Card action. */
  teamsDialogs: boolean;
}

const WEB_CHAT: ChannelCapabilities = { suggestedActions: true, cardButtons: true, teamsDialogs: false };
const TEXT_ONLY: ChannelCapabilities = { suggestedActions: false, cardButtons: false, teamsDialogs: false };

/**
 * The channels this bot is used in. Teams shows suggested actions in some clients only (not in
 * every chat kind, not on every device), so there a choice is a hero card with imBack buttons.
 * Any other channel gets plain text, which every client can show.
 */
const CAPABILITIES: Readonly<Record<string, ChannelCapabilities>> = {
  webchat: WEB_CHAT,
  directline: WEB_CHAT,
  emulator: WEB_CHAT,
  msteams: { suggestedActions: false, cardButtons: true, teamsDialogs: true },
};

export function capabilitiesOf(channelId: string | undefined): ChannelCapabilities {
  return (channelId && CAPABILITIES[channelId]) || TEXT_ONLY;
}

export interface ChoiceListing {
  /**
   * The answers are numbered in a text-only channel, and the number is read as the answer
   * (true for a question's choices). False for buttons that carry a command typed anywhere
   * ("slett alt", "English"): listed without numbers, as the number would answer something else.
   */
  numbered: boolean;
  /**
   * Buttons after the answers that carry a command typed anywhere ("Snakk med et menneske" beside a
   * question's choices): never numbered, so the numbers stay the question's.
   */
  commands?: readonly string[];
}

const imBack = (label: string): CardAction => ({ type: ActionTypes.ImBack, title: label, value: label });

const normalised = (text: string) => text.toLocaleLowerCase().replace(/\s+/g, ' ');

/** The choices written into the text, for a channel that cannot show buttons; none when the text already names them all. */
function listedInText(text: string, labels: readonly string[], listing: ChoiceListing): string {
  const commands = listing.commands ?? [];
  if ([...labels, ...commands].every((label) => normalised(text).includes(normalised(label)))) return text;
  const lines = [...labels.map((label, i) => (listing.numbered ? `${i + 1}. ${label}` : `- ${label}`)), ...commands.map((label) => `- ${label}`)];
  return `${text}\n\n${lines.join('\n')}`;
}

/** The text with its choices, shown once, the way the channel can show them (a tap sends the label as text). */
export function choiceMessage(
  context: TurnContext,
  phrases: Phrases,
  text: string,
  labels: readonly string[],
  listing: ChoiceListing = { numbered: true },
): Partial<Activity> {
  const can = capabilitiesOf(context.activity.channelId);
  const message = phrases.message(context, text);
  const buttons = [...labels, ...(listing.commands ?? [])];
  if (buttons.length === 0) return message;
  if (can.suggestedActions) message.suggestedActions = { actions: buttons.map(imBack), to: [] };
  else if (can.cardButtons) message.attachments = [CardFactory.heroCard('', undefined, buttons.map(imBack))];
  else message.text = listedInText(text, labels, listing);
  return message;
}

/** A button that opens one of the bot's pages. */
export interface PageButton {
  title: string;
  /** The page's link (asked for only where the channel shows it: a Teams dialog fetches its own). */
  url: () => Promise<string>;
  /** In Teams, the page opens as a Teams dialog: the data its task/fetch carries. */
  teamsDialog?: Record<string, string>;
}

/**
 * The text with one button that opens a page, and the choices that go with it. A link is one
 * button: in Teams an Adaptive Card action that opens the page as a Teams dialog, elsewhere a
 * card's openUrl button; only a channel without cards gets the address in the text.
 */
export async function pageMessage(
  context: TurnContext,
  phrases: Phrases,
  text: string,
  page: PageButton,
  choices: readonly string[] = [],
): Promise<Partial<Activity>> {
  const can = capabilitiesOf(context.activity.channelId);
  if (can.teamsDialogs && page.teamsDialog) {
    const message = phrases.message(context, text);
    // the card carries the text: one bubble with the question and its buttons
    message.text = undefined;
    message.attachments = [
      adaptiveCard(text, [
        { type: 'Action.Submit', title: page.title, data: { msteams: { type: 'task/fetch' }, ...page.teamsDialog } },
        ...choices.map((label) => ({ type: 'Action.Submit', title: label, data: { msteams: { type: 'imBack', value: label } } })),
      ]),
    ];
    return message;
  }
  const url = await page.url();
  if (!can.cardButtons) return phrases.message(context, listedInText(`${text}\n\n${page.title}: ${url}`, choices, { numbered: true }));
  const open: CardAction = { type: ActionTypes.OpenUrl, title: page.title, value: url };
  const message = choiceMessage(context, phrases, text, can.suggestedActions ? choices : []);
  message.attachments = [CardFactory.heroCard('', undefined, can.suggestedActions ? [open] : [open, ...choices.map(imBack)])];
  return message;
}

/** An Adaptive Card with one text block and its actions. */
function adaptiveCard(text: string, actions: ReadonlyArray<Record<string, unknown>>) {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    version: '1.4',
    body: [{ type: 'TextBlock', text, wrap: true }],
    actions,
  });
}

/** A link to a page, shown as one button. */
export interface LinkButton {
  title: string;
  url: string;
}

/**
 * The text with one button per link (the course list's Start links): openUrl buttons on a card
 * where the channel shows cards (Teams, Web Chat), else each link's title and address in the text.
 */
export function linksMessage(context: TurnContext, phrases: Phrases, text: string, links: readonly LinkButton[]): Partial<Activity> {
  const can = capabilitiesOf(context.activity.channelId);
  if (links.length === 0) return phrases.message(context, text);
  if (!can.cardButtons) return phrases.message(context, `${text}\n\n${links.map((link) => `${link.title}: ${link.url}`).join('\n')}`);
  const message = phrases.message(context, text);
  message.attachments = [CardFactory.heroCard('', undefined, links.map((link): CardAction => ({ type: ActionTypes.OpenUrl, title: link.title, value: link.url })))];
  return message;
}

/** One input of a form: a text box (a telephone number has its own keyboard) or a list to pick from. */
export interface FormInput {
  id: string;
  label: string;
  placeholder?: string;
  /** Filled in already (a value given before, or the likely one). */
  value?: string;
  maxLength: number;
  kind: 'text' | 'tel' | 'choice';
  choices?: ReadonlyArray<{ title: string; value: string }>;
}

export interface Form {
  title: string;
  inputs: readonly FormInput[];
  submit: string;
  /** What the submit carries besides the inputs (which form and which showing of it). */
  stamp: Record<string, string | number>;
}

/** Whether the channel shows a form as an Adaptive Card (Teams, Web Chat, Direct Line, the Emulator); elsewhere it is asked question by question. */
export function showsForms(context: TurnContext): boolean {
  return capabilitiesOf(context.activity.channelId).cardButtons;
}

/**
 * The text with a form under it, an Adaptive Card whose submit sends the inputs and the stamp as
 * the message's value (Teams and Web Chat alike). Only for a channel that shows forms. No input is
 * marked isRequired: Web Chat (4.18) then shows an empty card; an empty field is asked for after
 * the submit instead.
 */
export function formMessage(context: TurnContext, phrases: Phrases, text: string, form: Form): Partial<Activity> {
  const message = phrases.message(context, text);
  const body = [
    { type: 'TextBlock', text: form.title, weight: 'Bolder', size: 'Medium', wrap: true },
    ...form.inputs.map((input) =>
      input.kind === 'choice'
        ? { type: 'Input.ChoiceSet', id: input.id, label: input.label, placeholder: input.placeholder, value: input.value, style: 'compact', choices: input.choices ?? [] }
        : {
            type: 'Input.Text',
            id: input.id,
            label: input.label,
            placeholder: input.placeholder,
            value: input.value,
            maxLength: input.maxLength,
            ...(input.kind === 'tel' ? { style: 'Tel' } : {}),
          },
    ),
  ];
  message.attachments = [
    CardFactory.adaptiveCard({
      type: 'AdaptiveCard',
      version: '1.4',
      body,
      actions: [{ type: 'Action.Submit', title: form.submit, data: form.stamp }],
    }),
  ];
  return message;
}

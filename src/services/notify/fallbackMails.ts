import type { Installer } from '../../domain/installer';
import { REGION_LINKS } from '../../domain/journey';
import type { MailTemplate, OutgoingMail } from '../mail/mailer';
import type { NotifyEvent, NotifyEventName } from './events';

type EventOf<N extends NotifyEventName> = Extract<NotifyEvent, { name: N }>;

/** A template's own variables for one event (the chat, support and FAQ links are added for every event). */
type Fallback<N extends NotifyEventName> =
  | { template: MailTemplate; vars?: (event: EventOf<N>) => Record<string, string> }
  /** The event's news goes out by email anyway, chat or not: no second email. */
  | { mailedAnyway: string };

/** A variable's value as the template may hold it: "{{" would read as a placeholder. */
const plain = (text: string): string => text.replace(/\{\{/g, '{ {').replace(/\}\}/g, '} }');

/**
 * The email each notify event sends when no chat of the installer can be reached. Nothing secret
 * goes in (no password, token or link that acts); the agent's message is the one event that
 * carries text from someone else.
 */
export const FALLBACK_MAILS: { [N in NotifyEventName]: Fallback<N> } = {
  passwordSet: { template: 'passwordSetNotice' },
  emailConfirmed: { template: 'accountConfirmed' },
  stationLocalized: { template: 'stationLocalizedNotice' },
  coursesReady: { template: 'coursesReadyNotice' },
  courseCompleted: { template: 'courseCompletedNotice' },
  certified: { template: 'certifiedNotice' },
  accountActivated: { template: 'accountActivatedNotice' },
  agentJoined: { template: 'agentJoinedNotice', vars: (event) => ({ agentName: plain(event.agentName) }) },
  agentMessage: { template: 'agentMessageNotice', vars: (event) => ({ agentName: plain(event.agentName), text: plain(event.text) }) },
  handoffClosed: { template: 'handoffClosedNotice' },
  handoffByEmail: { mailedAnyway: 'the support service emails the ticket number itself (supportMails.byEmail)' },
  emailCorrected: { template: 'emailCorrectedNotice' },
};

/** The fallback email of an event for this installer, in the installer's language. */
export function fallbackMail(installer: Installer, event: NotifyEvent, publicUrl: string): OutgoingMail | undefined {
  const spec = FALLBACK_MAILS[event.name] as Fallback<NotifyEventName>;
  if ('mailedAnyway' in spec) return undefined;
  const links = REGION_LINKS[installer.region];
  return {
    to: installer.email,
    template: spec.template,
    language: installer.language,
    vars: {
      chatUrl: publicUrl.replace(/\/+$/, '') + '/',
      supportUrl: links.support[installer.language],
      faqUrl: links.faq,
      ...spec.vars?.(event as never),
    },
  };
}

import type { InstallerRepository } from '../installers/installerRepository';
import type { Mailer, OutgoingMail } from '../mail/mailer';
import type { StoredTicket } from './ticketRecord';

export interface SupportMailsDeps {
  mailer: Mailer;
  installers: InstallerRepository;
  publicUrl: string;
  supportEmail?: string;
}

/** The emails of human support: to SUPPORT_EMAIL per new ticket, and to the installer. */
export class SupportMails {
  constructor(private readonly deps: SupportMailsDeps) {}

  /** SUPPORT_EMAIL: a new ticket, with its link in the console and nothing personal beyond the masked email. */
  async newTicket(ticket: StoredTicket): Promise<void> {
    if (!this.deps.supportEmail) return;
    await this.deps.mailer.enqueue({
      to: this.deps.supportEmail,
      template: 'supportTicket',
      language: ticket.language,
      vars: {
        number: String(ticket.number),
        ticketUrl: `${this.deps.publicUrl}/agent/tickets/${ticket.id}`,
        maskedEmail: ticket.maskedEmail ?? '–',
        region: ticket.region ?? '–',
        stage: ticket.stage,
        language: ticket.language,
      },
    });
  }

  /** The installer: support answers by email, with the ticket number. */
  async byEmail(ticket: StoredTicket, installerId: string): Promise<void> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return;
    await this.deps.mailer.enqueue({ to: installer.email, template: 'supportByEmail', language: ticket.language, vars: { number: String(ticket.number) } });
  }

  /** An agent's reply, when the chat cannot be reached. */
  reply(ticket: StoredTicket, to: string, agentName: string, message: string): OutgoingMail {
    return { to, template: 'supportReply', language: ticket.language, vars: { number: String(ticket.number), agentName, message } };
  }
}

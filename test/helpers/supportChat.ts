import type { Installer } from '../../src/domain/installer';
import type { Language } from '../../src/domain/language';
import type { Harness } from './appHarness';
import { localeText } from './localeText';
import type { TestChannel } from './testChannel';
import { waitUntil } from './testSmtpServer';

export interface ChatCase {
  language: Language;
  locale: string;
  email: string;
}

function installerRecord(c: ChatCase, region: 'na' | 'global'): Installer {
  const at = new Date().toISOString();
  return {
    id: c.email,
    email: c.email,
    region,
    language: c.language,
    stage: 'registered',
    stageHistory: [
      { stage: 'new', at },
      { stage: 'registered', at, event: 'passwordSet' },
    ],
    createdAt: at,
    updatedAt: at,
    passwordSetAt: at,
    confirmationsSent: [at],
    stationsLocalized: [],
  };
}

/** Starts a chat linked to the installer, at the "check your inbox" step (the step a person asks for help at). */
export async function chatAtConfirmationStep(h: Harness, channel: TestChannel, c: ChatCase, conversation: string, region: 'na' | 'global'): Promise<string> {
  const installer = installerRecord({ ...c, email: c.email.replace('@', `+${conversation}@`) }, region);
  await h.app.services.installers.create(installer);
  await h.app.services.references.link(installer.id, {
    channelId: 'test',
    serviceUrl: channel.serviceUrl,
    conversation: { id: conversation, isGroup: false, conversationType: 'personal' },
    user: { id: `user-${conversation}`, name: 'Installer' },
    bot: { id: 'bot', name: 'Onboarding bot' },
    locale: c.locale,
  });
  await h.app.services.notifier.notify(installer.id, { name: 'passwordSet' });
  const step = localeText(c.language, 'registration:confirm.checkInbox', { email: installer.email });
  await waitUntil(() => channel.messagesTo(conversation).some((m) => m.includes(step)), 'the confirmation step');
  return installer.id;
}


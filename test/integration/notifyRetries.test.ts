import type { Language } from '../../src/domain/language';
import { NOTIFY_ATTEMPTS } from '../../src/services/notify/notifier';
import { localeText } from '../helpers/localeText';
import { AGENT_MESSAGE, agentMessageInChat, notifyRig } from '../helpers/notifyRig';

interface LogLine {
  level: number;
  msg: string;
}

/**
 * A channel that answers a proactive notice with 500, 503 or 429 is down for now: the notice is
 * tried again later (the job's backoff), the conversation's state is left as it was, and only when
 * the last attempt fails too does the notice go out by email.
 */
describe('a proactive notice while the channel fails for now (5xx, 429)', () => {
  // the job queue reads Date.now: the backoff between attempts passes by moving the clock on
  const rig = notifyRig();
  const { channel, laterBy, mailsTo, attempt } = rig;
  const lines = (from: number): LogLine[] => rig.h.logs.lines.slice(from).map((line) => JSON.parse(line) as LogLine);
  const stateKey = (conversationId: string) => `botstate/test/conversations/${conversationId}/`;

  /** An installer whose chat has state (one message answered), then the channel starts failing with `status`. */
  async function installerInFailingChat(name: string, status: number, language: Language): Promise<{ installerId: string; conversationId: string }> {
    const installer = await rig.installerInChat(`${name}-${status}-${language}`, language);
    expect(await rig.h.app.store.get(stateKey(installer.conversationId))).toBeDefined();
    channel.statusFor.set(installer.conversationId, status);
    return installer;
  }

  it.each<[number, Language]>([
    [503, 'nb'],
    [500, 'en'],
    [429, 'nb'],
  ])('%i, then the channel recovers: the notice reaches the chat on a later attempt, no email, state kept (%s)', async (status, language) => {
    const { installerId, conversationId } = await installerInFailingChat('recovers', status, language);
    const before = rig.h.logs.lines.length;
    const messages = channel.messagesTo(conversationId).length;
    await rig.h.app.services.notifier.notify(installerId, AGENT_MESSAGE);
    await attempt();
    expect(channel.messagesTo(conversationId)).toHaveLength(messages);
    // the failed turn did not reach the turn error handler: no "turn failed", no state cleared
    expect(lines(before).map((l) => l.msg)).not.toContain('turn failed');
    expect(await rig.h.app.store.get(stateKey(conversationId))).toBeDefined();

    channel.statusFor.delete(conversationId);
    laterBy(60 * 60 * 1000);
    await attempt();
    expect(channel.messagesTo(conversationId).slice(messages)).toEqual([agentMessageInChat(language)]);
    expect(await mailsTo(installerId)).toEqual([]);
    expect(lines(before).filter((l) => l.level >= 50)).toEqual([]);
  }, 60_000);

  it.each<[number, Language]>([
    [503, 'nb'],
    [500, 'en'],
    [429, 'en'],
  ])('%i on every attempt: the email goes out after the last one, in the installer language (%s), state kept', async (status, language) => {
    const { installerId, conversationId } = await installerInFailingChat('down', status, language);
    const before = rig.h.logs.lines.length;
    const messages = channel.messagesTo(conversationId).length;
    await rig.h.app.services.notifier.notify(installerId, AGENT_MESSAGE);
    for (let n = 1; n < NOTIFY_ATTEMPTS; n++) {
      await attempt();
      expect(await mailsTo(installerId)).toEqual([]);
      laterBy(60 * 60 * 1000);
    }
    await attempt();
    const mails = await mailsTo(installerId);
    expect(mails.map((mail) => mail.subject)).toEqual([localeText(language, 'email:agentMessageNotice.subject', { agentName: AGENT_MESSAGE.agentName })]);
    expect(channel.messagesTo(conversationId)).toHaveLength(messages);
    expect(await rig.h.app.store.get(stateKey(conversationId))).toBeDefined();
    const logged = lines(before);
    expect(logged.map((l) => l.msg)).not.toContain('turn failed');
    expect(logged.filter((l) => l.msg === 'notify turn failed')).toHaveLength(NOTIFY_ATTEMPTS);
    // a channel that fails for now is not an operator error (that is a refused credential)
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
  }, 180_000); // the connector client itself retries a 5xx/429 a few times: about 5 s per attempt
});

import type { Language } from '../../src/domain/language';
import { AGENT_MESSAGE, agentMessageInChat, notifyRig } from '../helpers/notifyRig';

const MINUTE = 60_000;

/**
 * A channel that throttles a proactive notice (429, or 503, with Retry-After) is waited for as
 * long as it asked before the notice is tried again — at most 10 minutes, whatever it asked — and
 * the notice then reaches the chat, with no fallback email.
 */
describe('a proactive notice while the channel asks to wait (Retry-After)', () => {
  // the job queue reads Date.now: the wait between attempts passes by moving the clock on
  const rig = notifyRig();
  const { channel, laterBy, mailsTo, attempt } = rig;
  const postsTo = (conversationId: string) => channel.posts.filter((post) => post.conversationId === conversationId);

  /** An installer whose chat answered once, then the channel refuses posts to it with `status` and `retryAfter`. */
  async function installerInThrottledChat(status: number, retryAfter: string, language: Language): Promise<{ installerId: string; conversationId: string }> {
    const installer = await rig.installerInChat(`throttled-${status}-${retryAfter}-${language}`, language);
    channel.statusFor.set(installer.conversationId, status);
    channel.retryAfterFor.set(installer.conversationId, retryAfter);
    return installer;
  }

  it.each<[string, number, string, number, number, Language]>([
    // the connector client waits a short Retry-After itself (3 s, three times in the turn); the
    // job then waits it once more, not its own first backoff (2 s, less jitter)
    ['a short one, after the turn waited it in vain', 429, '3', 4, 3_000, 'nb'],
    // over a minute: not waited for inside the turn, the job waits it
    ['two minutes', 429, '120', 1, 2 * MINUTE, 'en'],
    // days: the job waits 10 minutes, no longer
    ['days (capped at 10 minutes)', 503, '99999999', 1, 10 * MINUTE, 'nb'],
  ])('Retry-After %s (%i: %s): %i post(s) refused, the next no sooner than %i ms later; it reaches the chat, no email (%s)', async (_what, status, retryAfter, refused, waitMs, language) => {
    const { installerId, conversationId } = await installerInThrottledChat(status, retryAfter, language);
    const messages = channel.messagesTo(conversationId).length;
    const before = postsTo(conversationId).length;
    await rig.h.app.services.notifier.notify(installerId, AGENT_MESSAGE);
    await attempt();
    const refusals = postsTo(conversationId).slice(before);
    expect(refusals.map((post) => post.status)).toEqual(Array.from({ length: refused }, () => status));
    const lastRefusal = refusals[refusals.length - 1]!.at;

    // the channel is ready again, but asked for the wait: nothing is posted before it has passed
    channel.statusFor.delete(conversationId);
    laterBy(waitMs - 500 - (Date.now() - lastRefusal));
    await attempt();
    expect(postsTo(conversationId).slice(before)).toHaveLength(refused);

    laterBy(1_000);
    await attempt();
    const next = postsTo(conversationId).slice(before + refused);
    expect(next.map((post) => post.status)).toEqual([200]);
    expect(next[0]!.at - lastRefusal).toBeGreaterThanOrEqual(waitMs);
    expect(channel.messagesTo(conversationId).slice(messages)).toEqual([agentMessageInChat(language)]);
    expect(await mailsTo(installerId)).toEqual([]);
  }, 40_000);
});

import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { type Logger, redactText } from '../../logger';

/**
 * One log line per activity in and out: type, channel, ids. Message text is not logged, unless
 * LOG_TRANSCRIPTS is on, and then only redacted (emails, tokens, password-ish words masked).
 */
export class LogActivitiesMiddleware implements Middleware {
  constructor(
    private readonly logger: Logger,
    private readonly transcripts: boolean,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    this.log('in', context.activity);
    context.onSendActivities(async (_ctx, activities, nextSend) => {
      for (const activity of activities) this.log('out', activity);
      return nextSend();
    });
    await next();
  }

  private log(direction: 'in' | 'out', activity: Partial<Activity>): void {
    const entry: Record<string, unknown> = {
      direction,
      type: activity.type,
      name: activity.name,
      channelId: activity.channelId,
      activityId: activity.id,
    };
    if (this.transcripts && activity.text) entry.transcript = redactText(activity.text);
    this.logger.debug(entry, 'activity');
  }
}

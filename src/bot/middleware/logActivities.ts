import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { type Logger, loggableId, transcriptText } from '../../logger';

/**
 * One log line per activity in and out: type, channel, ids (bounded and redacted, as they come from
 * outside), and how many attachments of which kind. Message text is not logged, unless
 * LOG_TRANSCRIPTS is on, and then only cut short and redacted (emails, tokens, password-ish words
 * masked). Nothing else of an activity (card values, attachment content, names) is logged.
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
    // the lines are debug lines: at info (production) nothing of them is built, twice or more per turn
    if (!this.logger.isLevelEnabled('debug')) return;
    const entry: Record<string, unknown> = {
      direction,
      type: loggableId(activity.type),
      name: loggableId(activity.name),
      channelId: loggableId(activity.channelId),
      activityId: loggableId(activity.id),
    };
    const attachments = Array.isArray(activity.attachments) ? activity.attachments : [];
    if (attachments.length > 0) {
      entry.attachments = attachments.length;
      entry.contentTypes = attachments.slice(0, 5).map((a: unknown) => loggableId(contentType(a)));
    }
    if (this.transcripts && typeof activity.text === 'string' && activity.text !== '') entry.transcript = transcriptText(activity.text);
    this.logger.debug(entry, 'activity');
  }
}

function contentType(attachment: unknown): string {
  const value: unknown = typeof attachment === 'object' && attachment !== null ? Reflect.get(attachment, 'contentType') : undefined;
  return typeof value === 'string' ? value : 'unknown';
}

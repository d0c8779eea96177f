import { EventEmitter } from 'node:events';
import type { Logger } from '../../logger';
import { type DocumentStore, updateDocument } from '../store/documentStore';
import type { TicketChange } from './supportDesk';

interface ChangeLog {
  seq: number;
  items: Array<TicketChange & { seq: number }>;
}

const CHANGES_KEY = 'support/changes';
/** Changes kept for instances that poll; one that falls further behind than this reloads what it shows anyway. */
const KEEP = 200;

/**
 * Ticket changes for every instance sharing the store: each change is appended to a short log in
 * the store and emitted at once in this process; the other instances see it when they poll the log.
 */
export class TicketChanges {
  private readonly emitter = new EventEmitter();
  private lastSeq: number | undefined;
  private readonly emittedHere = new Set<number>();

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
  ) {
    this.emitter.setMaxListeners(0);
  }

  async publish(change: TicketChange): Promise<void> {
    let seq = 0;
    await updateDocument<ChangeLog>(this.store, CHANGES_KEY, (current) => {
      seq = (current?.seq ?? 0) + 1;
      return { seq, items: [...(current?.items ?? []), { ...change, seq }].slice(-KEEP) };
    });
    this.emittedHere.add(seq);
    if (this.emittedHere.size > KEEP) this.emittedHere.delete(this.emittedHere.values().next().value ?? 0);
    this.emit(change);
  }

  subscribe(listener: (change: TicketChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Emits what other instances published since the last poll. */
  async poll(): Promise<void> {
    const log = (await this.store.get<ChangeLog>(CHANGES_KEY))?.value;
    const seq = log?.seq ?? 0;
    if (this.lastSeq === undefined) {
      this.lastSeq = seq;
      return;
    }
    for (const item of log?.items ?? []) {
      if (item.seq <= this.lastSeq || this.emittedHere.has(item.seq)) continue;
      this.emit({ ticketId: item.ticketId, kind: item.kind });
    }
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  private emit(change: TicketChange): void {
    for (const listener of this.emitter.listeners('change') as Array<(change: TicketChange) => void>) {
      try {
        listener(change);
      } catch (error) {
        this.logger.warn({ err: error instanceof Error ? error.name : 'error', kind: change.kind }, 'a ticket change listener failed');
      }
    }
  }
}

import { createHash } from 'node:crypto';
import { type Stage, STAGES } from '../../domain/journey';
import { type DocumentStore, updateDocument } from '../store/documentStore';

/** One installer's entry: its stage, and how far its stage history had got (so a late write never undoes a newer one). */
export interface StageIndexEntry {
  stage: Stage;
  seq: number;
}

/** One shard of the index: the installers whose id hashes to it, by id. */
interface StageIndexShard {
  entries: Record<string, StageIndexEntry>;
}

export const DEFAULT_STAGE_INDEX_SHARDS = 16;

/**
 * Which installer is at which stage, without reading every key of the store.
 *
 * The index is split into a fixed number of shard documents (`<namespace>/<n>`); an installer's
 * entry lives in the shard its id hashes to, so a change writes exactly one small document (never
 * two: the entry holds the stage, it does not move between per-stage lists). Writers of different
 * installers mostly touch different shards (a busy single document would make every stage change
 * of every installer retry on eTag conflicts); listing or counting reads all shards, a few
 * dozen reads whatever the number of installers. Works on every DocumentStore backend alike.
 *
 * The installer record is the truth: the repository writes the entry after the record. Entries
 * carry `seq` (the length of the stage history), and a write with a lower seq than the stored
 * one is ignored, so two stage changes of one installer whose index writes land out of order
 * leave the newer stage.
 */
export class StageIndex {
  constructor(
    private readonly store: DocumentStore,
    private readonly options: { namespace?: string; shards?: number } = {},
  ) {}

  /** Records the installer's stage (unless it is there already, or a newer one is); true when it wrote. */
  async set(id: string, entry: StageIndexEntry): Promise<boolean> {
    let wrote = false;
    await updateDocument<StageIndexShard>(this.store, this.shardKey(id), (current) => {
      const stored = current?.entries[id];
      wrote = !(stored && (stored.seq > entry.seq || (stored.seq === entry.seq && stored.stage === entry.stage)));
      return wrote ? { entries: { ...current?.entries, [id]: { stage: entry.stage, seq: entry.seq } } } : undefined;
    });
    return wrote;
  }

  /** Forgets the installer (deleted data: no id stays behind). */
  async remove(id: string): Promise<void> {
    await updateDocument<StageIndexShard>(this.store, this.shardKey(id), (current) => {
      if (!current || !(id in current.entries)) return undefined;
      return { entries: Object.fromEntries(Object.entries(current.entries).filter(([other]) => other !== id)) };
    });
  }

  /** The installer's entry, if indexed. */
  async entry(id: string): Promise<StageIndexEntry | undefined> {
    return (await this.store.get<StageIndexShard>(this.shardKey(id)))?.value.entries[id];
  }

  /** The ids at a stage, sorted. */
  async listByStage(stage: Stage): Promise<string[]> {
    const ids: string[] = [];
    for (const shard of await this.shards()) {
      for (const [id, entry] of Object.entries(shard.entries)) if (entry.stage === stage) ids.push(id);
    }
    return ids.sort();
  }

  /** How many installers are at each stage (every stage present, 0 when none). */
  async countByStage(): Promise<Record<Stage, number>> {
    const counts = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
    for (const shard of await this.shards()) {
      for (const entry of Object.values(shard.entries)) if (entry.stage in counts) counts[entry.stage] += 1;
    }
    return counts;
  }

  private async shards(): Promise<StageIndexShard[]> {
    const count = this.shardCount();
    const read = await Promise.all(Array.from({ length: count }, (_, n) => this.store.get<StageIndexShard>(this.key(n))));
    return read.flatMap((doc) => (doc ? [doc.value] : []));
  }

  private shardCount(): number {
    return this.options.shards ?? DEFAULT_STAGE_INDEX_SHARDS;
  }

  private shardKey(id: string): string {
    return this.key(createHash('sha256').update(id).digest().readUInt32BE(0) % this.shardCount());
  }

  private key(n: number): string {
    return `${this.options.namespace ?? 'installer-stages'}/${n}`;
  }
}

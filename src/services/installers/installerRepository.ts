import type { Installer } from '../../domain/installer';
import { type JourneyEvent, transition } from '../../domain/journeyTransitions';
import type { Stage } from '../../domain/journey';
import { type DocumentStore, updateDocument } from '../store/documentStore';
import { StageIndex } from './stageIndex';

const key = (id: string) => `installer/${id}`;

export type AdvanceResult =
  | { kind: 'advanced'; installer: Installer; from: Installer['stage'] }
  /** The event was accepted and the stage stays (a profile edited, another station). */
  | { kind: 'unchanged'; installer: Installer }
  | { kind: 'refused'; installer: Installer }
  | { kind: 'missing' };

/**
 * Installer records in the document store; every change is a read-modify-write with the eTag read.
 * Every write also keeps the stage index (see StageIndex) up to date, so installers can be listed
 * and counted by stage without reading every key.
 *
 * Records written before the index existed are not in it until they are next written (any
 * update or advance indexes the record as it is then): the store cannot enumerate its keys, and
 * the only list that matters at once, the LMS poller's `courses_in_progress`, cannot hold such a
 * record (no stage after `confirmed` could be reached before the index came).
 */
export class InstallerRepository {
  private readonly index: StageIndex;

  constructor(
    private readonly store: DocumentStore,
    private readonly now: () => Date = () => new Date(),
    index?: StageIndex,
  ) {
    this.index = index ?? new StageIndex(store);
  }

  async get(id: string): Promise<Installer | undefined> {
    return (await this.store.get<Installer>(key(id)))?.value;
  }

  /** Creates the record; false when one with that id exists already. */
  async create(installer: Installer): Promise<boolean> {
    const at = installer.createdAt;
    const withHistory: Installer = { ...installer, stageHistory: installer.stageHistory ?? [{ stage: installer.stage, at }] };
    const created = (await this.store.create(key(installer.id), withHistory)) !== undefined;
    if (created) await this.indexed(withHistory);
    return created;
  }

  /** Applies a change to the current record; undefined when there is no such installer. Never changes the stage (see advance). */
  async update(id: string, change: (current: Installer) => Installer): Promise<Installer | undefined> {
    const updated = await updateDocument<Installer>(this.store, key(id), (current) =>
      current ? { ...change(current), stage: current.stage, stageHistory: current.stageHistory, updatedAt: this.now().toISOString() } : undefined,
    );
    if (updated) await this.indexed(updated);
    return updated;
  }

  /**
   * Moves the installer along the journey by an event, as the domain's transition table decides,
   * applying `change` (the facts the event brings) in the same write. The stage history records
   * each stage entered. A refused event changes nothing.
   */
  async advance(id: string, event: JourneyEvent, change: (current: Installer) => Installer = (c) => c): Promise<AdvanceResult> {
    let result: AdvanceResult = { kind: 'missing' };
    await updateDocument<Installer>(this.store, key(id), (current) => {
      if (!current) {
        result = { kind: 'missing' };
        return undefined;
      }
      const decided = transition(current.stage, event);
      if (!decided.ok) {
        result = { kind: 'refused', installer: current };
        return undefined;
      }
      const at = this.now().toISOString();
      const history = current.stageHistory ?? [{ stage: current.stage, at: current.createdAt }];
      const next: Installer = {
        ...change(current),
        id: current.id,
        stage: decided.stage,
        stageHistory: decided.changed ? [...history, { stage: decided.stage, at, event }] : history,
        updatedAt: at,
      };
      result = decided.changed ? { kind: 'advanced', installer: next, from: current.stage } : { kind: 'unchanged', installer: next };
      return next;
    });
    // assigned inside the callback (TypeScript still sees the initial 'missing' here)
    const decided = result as AdvanceResult;
    if (decided.kind === 'advanced' || decided.kind === 'unchanged') await this.indexed(decided.installer);
    return decided;
  }

  /** Deletes the record and its index entry. */
  async delete(id: string): Promise<void> {
    await this.store.delete(key(id));
    await this.index.remove(id);
  }

  /** The ids of the installers at a stage (sorted), from the stage index. */
  listByStage(stage: Stage): Promise<string[]> {
    return this.index.listByStage(stage);
  }

  /** How many installers are at each stage, from the stage index. */
  countByStage(): Promise<Record<Stage, number>> {
    return this.index.countByStage();
  }

  /**
   * Puts the record's stage into the index after the record was written. When the entry was
   * written and the record is gone by then (deleted meanwhile), the entry goes again: a deleted
   * installer's id never stays behind in the index.
   */
  private async indexed(installer: Installer): Promise<void> {
    const wrote = await this.index.set(installer.id, { stage: installer.stage, seq: installer.stageHistory?.length ?? 0 });
    if (wrote && !(await this.store.get<Installer>(key(installer.id)))) await this.index.remove(installer.id);
  }
}

import type { Installer } from '../../src/domain/installer';
import { StageIndex } from '../../src/services/installers/stageIndex';
import { type DocumentStore, updateDocument } from '../../src/services/store/documentStore';

/**
 * Puts an installer record into a state for a test (a stage reached earlier, a password set),
 * bypassing the journey's transitions: the repository's update never changes the stage. The stage
 * index (the repository's default one) follows, so listing by stage finds the record where it was put.
 */
export async function rewriteInstaller(store: DocumentStore, id: string, change: (current: Installer) => Installer): Promise<void> {
  const rewritten = await updateDocument<Installer>(store, `installer/${id}`, (current) => (current ? change(current) : undefined));
  if (rewritten) await new StageIndex(store).set(id, { stage: rewritten.stage, seq: rewritten.stageHistory?.length ?? 0 });
}

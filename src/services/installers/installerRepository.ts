import type { Installer } from '../../domain/installer';
import { type DocumentStore, updateDocument } from '../store/documentStore';

const key = (id: string) => `installer/${id}`;

/** Installer records in the document store; every change is a read-modify-write with the eTag read. */
export class InstallerRepository {
  constructor(private readonly store: DocumentStore) {}

  async get(id: string): Promise<Installer | undefined> {
    return (await this.store.get<Installer>(key(id)))?.value;
  }

  /** Creates the record; false when one with that id exists already. */
  async create(installer: Installer): Promise<boolean> {
    return (await this.store.create(key(installer.id), installer)) !== undefined;
  }

  /** Applies a change to the current record; undefined when there is no such installer. */
  async update(id: string, change: (current: Installer) => Installer): Promise<Installer | undefined> {
    return updateDocument<Installer>(this.store, key(id), (current) =>
      current ? { ...change(current), updatedAt: new Date().toISOString() } : undefined,
    );
  }

  delete(id: string): Promise<void> {
    return this.store.delete(key(id));
  }
}

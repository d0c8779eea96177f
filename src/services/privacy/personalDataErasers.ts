/** A chat that belongs to an installer, in the project's own terms (no botbuilder type). */
export interface ChatAddress {
  channelId: string;
  conversationId: string;
  userId: string;
}

/** Whose data is being deleted: the installer and every chat linked to them. */
export interface ErasureSubject {
  installerId: string;
  chats: ChatAddress[];
}

export type PersonalDataEraser = (subject: ErasureSubject) => Promise<void>;

export interface EraserOptions {
  /**
   * A write already under way when the erasure starts can add this data back (a station localized
   * in the same moment). Such a writer looks at the installer record after it wrote and erases
   * what it wrote when the record is gone; a writer that looked just before the record went has
   * finished writing by then, so running this eraser once more after the record is gone catches it.
   */
  againAfterRecordGone?: boolean;
}

/**
 * "Delete my data" reaches into every layer that keeps something about a person: the layers that
 * own such data (bot state, web chat transcripts, uploads) register an eraser here once, and the
 * registration service runs them all before it deletes the installer record, then the ones that
 * race writers (EraserOptions.againAfterRecordGone) once more after it.
 */
export class PersonalDataErasers {
  private readonly erasers: { eraser: PersonalDataEraser; again: boolean }[] = [];

  add(eraser: PersonalDataEraser, options: EraserOptions = {}): void {
    this.erasers.push({ eraser, again: options.againAfterRecordGone === true });
  }

  /** Every eraser, in the order added (before the installer record is deleted). */
  async erase(subject: ErasureSubject): Promise<void> {
    for (const { eraser } of this.erasers) await eraser(subject);
  }

  /** The erasers that race writers, again: call once the installer record is gone. */
  async eraseAfterRecordGone(subject: ErasureSubject): Promise<void> {
    for (const { eraser, again } of this.erasers) if (again) await eraser(subject);
  }
}

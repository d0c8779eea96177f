import type { Installer } from '../../domain/installer';

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

/**
 * Support corrected the email address, which is the installer id: what was filed under `fromId`
 * now belongs to `installer` (the moved record: its new id and address, the rest as it was).
 */
export interface EmailCorrection {
  fromId: string;
  /** The address as the record had it (an LMS outside the store still knows the person by it). */
  fromEmail: string;
  installer: Installer;
}

export type PersonalDataMover = (correction: EmailCorrection) => Promise<void>;

export interface EraserOptions {
  /**
   * A write already under way when the erasure starts can add this data back (a station localized
   * in the same moment). Such a writer looks at the installer record after it wrote and erases
   * what it wrote when the record is gone; a writer that looked just before the record went has
   * finished writing by then, so running this eraser once more after the record is gone catches it.
   * The same goes for the move (`move`) after a corrected address: it runs again once the old
   * record is gone.
   */
  againAfterRecordGone?: boolean;
  /**
   * Data filed under the installer id (the email address) must move when support corrects the
   * address: else it stays under the old id, where "export my data" and "delete my data" of the
   * new id never look, and what it would send names the old address. Data kept per chat needs
   * none (the chats move with the registration).
   */
  move?: PersonalDataMover;
}

/**
 * "Delete my data" reaches into every layer that keeps something about a person: the layers that
 * own such data (bot state, web chat transcripts, uploads) register an eraser here once, and the
 * registration service runs them all before it deletes the installer record, then the ones that
 * race writers (EraserOptions.againAfterRecordGone) once more after it. A layer that files its data
 * under the installer id registers how it moves with its eraser (EraserOptions.move): support's
 * "correct the email address" runs every move (move, then moveAfterRecordGone) the same way.
 */
export class PersonalDataErasers {
  private readonly erasers: { eraser: PersonalDataEraser; again: boolean; move?: PersonalDataMover }[] = [];

  add(eraser: PersonalDataEraser, options: EraserOptions = {}): void {
    this.erasers.push({ eraser, again: options.againAfterRecordGone === true, ...(options.move ? { move: options.move } : {}) });
  }

  /** Every eraser, in the order added (before the installer record is deleted). */
  async erase(subject: ErasureSubject): Promise<void> {
    for (const { eraser } of this.erasers) await eraser(subject);
  }

  /** The erasers that race writers, again: call once the installer record is gone. */
  async eraseAfterRecordGone(subject: ErasureSubject): Promise<void> {
    for (const { eraser, again } of this.erasers) if (again) await eraser(subject);
  }

  /** Every move, in the order added (the new record exists, the old one not deleted yet). */
  async move(correction: EmailCorrection): Promise<void> {
    for (const { move } of this.erasers) if (move) await move(correction);
  }

  /** The moves that race writers, again: call once the old record is gone. */
  async moveAfterRecordGone(correction: EmailCorrection): Promise<void> {
    for (const { move, again } of this.erasers) if (move && again) await move(correction);
  }
}

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
 * "Delete my data" reaches into every layer that keeps something about a person: the layers that
 * own such data (bot state, web chat transcripts, uploads) register an eraser here once, and the
 * registration service runs them all before it deletes the installer record.
 */
export class PersonalDataErasers {
  private readonly erasers: PersonalDataEraser[] = [];

  add(eraser: PersonalDataEraser): void {
    this.erasers.push(eraser);
  }

  async erase(subject: ErasureSubject): Promise<void> {
    for (const eraser of this.erasers) await eraser(subject);
  }
}

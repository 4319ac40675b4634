/**
 * The image a person right-clicked with "Upload image to Glean…", waiting for the upload form. Its
 * bytes wait in the upload blob store under one fixed id (bytes never travel in messages); a note in
 * `storage.session` says it is there, and changes with each new image, so a popup that is already
 * open sees it arrive. It stays selected until an upload from the form starts.
 */
import { browser } from './browser.ts';
import { deleteBlob, readBlob, writeBlob } from './uploadStore.ts';

export const PENDING_IMAGE_KEY = 'pendingImage';
/** Beside the jobs' UUIDs in the same store; only this module writes it (the worker's sweep spares it). */
export const PENDING_BLOB_ID = 'pending-image';

interface PendingNote {
  fileName: string;
  /** When it was kept: a new image with the same name is still a change. */
  keptAt: number;
  /** A capture of a tab (the `screenshot-tab` command): the form presets the type FEEDBACK. */
  screenshot?: boolean;
}

/** The waiting image, as the form selects it. `keptAt` tells one arrival from the next. */
export interface PendingImage {
  file: File;
  keptAt: number;
  screenshot: boolean;
}

export async function keepPendingImage(blob: Blob, fileName: string, { screenshot = false } = {}): Promise<void> {
  await writeBlob(PENDING_BLOB_ID, blob);
  const note: PendingNote = { fileName, keptAt: Date.now(), ...(screenshot ? { screenshot } : {}) };
  await browser.storage.session.set({ [PENDING_IMAGE_KEY]: note });
}

export async function forgetPendingImage(): Promise<void> {
  await browser.storage.session.remove(PENDING_IMAGE_KEY);
  await deleteBlob(PENDING_BLOB_ID);
}

/** The waiting image as a file named for the form, or null when none waits. */
export async function readPendingImage(): Promise<PendingImage | null> {
  // Written by keepPendingImage alone, so its shape needs no second check here.
  const { [PENDING_IMAGE_KEY]: note } = (await browser.storage.session.get(PENDING_IMAGE_KEY)) as { [PENDING_IMAGE_KEY]?: PendingNote };
  const blob = note && (await readBlob(PENDING_BLOB_ID));
  if (!note || !blob) return null;
  return { file: new File([blob], note.fileName, { type: blob.type }), keptAt: note.keptAt, screenshot: note.screenshot === true };
}

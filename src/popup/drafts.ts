/** The popup remembers the last inputs of both forms between openings (in `storage.local`). */
import browser from 'webextension-polyfill';
import type { ImageMetadata } from '../shared/imageMetadata.ts';

export interface Drafts {
  lookUp: { key: string; metadata: ImageMetadata };
  upload: { metadata: ImageMetadata };
}

const DRAFTS_KEY = 'popupDrafts';
let current: Drafts = { lookUp: { key: '', metadata: {} }, upload: { metadata: {} } };

/** Read once before the popup renders, so a remembered value never overwrites what is being typed. */
export async function loadDrafts(): Promise<Drafts> {
  const { [DRAFTS_KEY]: stored } = await browser.storage.local.get(DRAFTS_KEY);
  if (typeof stored === 'object' && stored !== null) current = { ...current, ...(stored as Partial<Drafts>) };
  return current;
}

export function rememberDraft<K extends keyof Drafts>(form: K, value: Drafts[K]): void {
  current = { ...current, [form]: value };
  void browser.storage.local.set({ [DRAFTS_KEY]: current });
}

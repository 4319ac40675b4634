/**
 * The popup remembers the last inputs of both forms between openings (in `storage.local`). They are
 * read while the popup paints, never before: a form shows them once read, unless the person has
 * typed in it meanwhile (what a person types is never overwritten).
 */
import { useEffect, useRef } from 'preact/hooks';
import { browser } from '../shared/browser.ts';
import type { ImageMetadata } from '../shared/imageMetadata.ts';

export interface Drafts {
  lookUp: { key: string; metadata: ImageMetadata };
  upload: { metadata: ImageMetadata };
}

const DRAFTS_KEY = 'popupDrafts';
let current: Drafts = { lookUp: { key: '', metadata: {} }, upload: { metadata: {} } };

const loaded: Promise<Drafts> = browser.storage.local.get(DRAFTS_KEY).then(
  ({ [DRAFTS_KEY]: stored }) => {
    if (typeof stored === 'object' && stored !== null) current = { ...current, ...(stored as Partial<Drafts>) };
    return current;
  },
  () => current,
);

/** Hands `form`'s remembered inputs to `show` once read; answers `remember`, to call with each change the person makes. */
export function useDraft<K extends keyof Drafts>(form: K, show: (draft: Drafts[K]) => void): (value: Drafts[K]) => void {
  const typed = useRef(false);
  useEffect(() => {
    void loaded.then((drafts) => typed.current || show(drafts[form]));
  }, []);
  return (value) => {
    typed.current = true;
    // After the read, so that one form's change never writes the other's empty defaults over its draft.
    void loaded.then(() => {
      current = { ...current, [form]: value };
      return browser.storage.local.set({ [DRAFTS_KEY]: current });
    });
  };
}

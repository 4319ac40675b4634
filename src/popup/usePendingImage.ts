/**
 * The image right-clicked with "Upload image to Glean…", captured with the `screenshot-tab` command,
 * or fetched from a pasted link, is selected when the popup opens, or as soon as it arrives if the
 * popup opened first (the worker opens the popup at the click or shortcut, then reads the image).
 */
import { useEffect } from 'preact/hooks';
import { browser } from '../shared/browser.ts';
import type { Storage } from 'webextension-polyfill';
import { PENDING_IMAGE_KEY, readPendingImage, type PendingImage } from '../shared/pendingImage.ts';

export function usePendingImage(select: (image: PendingImage) => void): void {
  useEffect(() => {
    const take = () => void readPendingImage().then((image) => image && select(image));
    const onChanged = (changes: Record<string, Storage.StorageChange>, area: string) => {
      if (area === 'session' && changes[PENDING_IMAGE_KEY]?.newValue) take();
    };
    browser.storage.onChanged.addListener(onChanged);
    take();
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, [select]);
}

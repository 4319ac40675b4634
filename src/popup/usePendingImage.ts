/**
 * The image right-clicked with "Upload image to Glean…" is selected when the popup opens, or as soon
 * as it arrives if the popup opened first (the worker opens the popup at the click, then reads the image).
 */
import { useEffect } from 'preact/hooks';
import browser, { type Storage } from 'webextension-polyfill';
import { PENDING_IMAGE_KEY, readPendingImage } from '../shared/pendingImage.ts';

export function usePendingImage(select: (file: File) => void): void {
  useEffect(() => {
    const take = () => void readPendingImage().then((file) => file && select(file));
    const onChanged = (changes: Record<string, Storage.StorageChange>, area: string) => {
      if (area === 'session' && changes[PENDING_IMAGE_KEY]?.newValue) take();
    };
    browser.storage.onChanged.addListener(onChanged);
    take();
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, [select]);
}

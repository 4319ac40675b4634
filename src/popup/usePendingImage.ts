/**
 * The image right-clicked with "Upload image to Glean…", captured with the `screenshot-tab` command,
 * or fetched from a pasted link, is selected when the popup opens, or as soon as it arrives if the
 * popup opened first (the worker opens the popup at the click or shortcut, then reads the image).
 */
import { PENDING_IMAGE_KEY, readPendingImage, type PendingImage } from '../shared/pendingImage.ts';
import { useSessionKey } from './useSessionKey.ts';

export function usePendingImage(select: (image: PendingImage) => void): void {
  // Forgetting the image changes the key too: the read then finds none, and nothing is selected.
  useSessionKey(PENDING_IMAGE_KEY, () => void readPendingImage().then((image) => image && select(image)));
}

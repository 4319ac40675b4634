/**
 * Tells open pages that the upload jobs changed. A storage change reaches every page, survives the
 * worker being restarted, and needs no page to be listening (a runtime message would fail with
 * "Receiving end does not exist" when no popup is open).
 */
import { browser } from '../../shared/browser.ts';
import { UPLOADS_REVISION_KEY } from '../../shared/uploadStore.ts';

export function announceUploadsChanged(): void {
  void browser.storage.session.set({ [UPLOADS_REVISION_KEY]: crypto.randomUUID() });
}

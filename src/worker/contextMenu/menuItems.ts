/**
 * The two items on images. Created once per install, update or browser update (`runtime.onInstalled`):
 * both browsers keep an event-driven background's items across restarts, and creating an existing id
 * again fails with "duplicate id" (https://developer.chrome.com/docs/extensions/reference/api/contextMenus#method-create,
 * https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/menus/create). Removing
 * ours first makes creating them safe whatever is left from before.
 * With two items, both browsers group them under one item named after the extension.
 */
import { browser } from '../../shared/browser.ts';
import { t } from '../../shared/i18n.ts';

/** Uploads at once with the defaults from Options → "Right-click uploads". */
export const UPLOAD_ITEM = 'upload-image';
/** Opens the upload form with the image selected, to fill in its details first. */
export const UPLOAD_WITH_DETAILS_ITEM = 'upload-image-with-details';

export async function createMenuItems(): Promise<void> {
  await browser.contextMenus.removeAll();
  for (const [id, title] of [
    [UPLOAD_ITEM, 'menuUploadImage'],
    [UPLOAD_WITH_DETAILS_ITEM, 'menuUploadImageWithDetails'],
  ] as const) {
    browser.contextMenus.create({ id, title: t(title), contexts: ['image'] }, () => {
      // Read, so a failure is logged once and plainly instead of as "Unchecked runtime.lastError".
      const error = browser.runtime.lastError;
      if (error) console.error('Glean Images: menu item not created', id, error.message);
    });
  }
}

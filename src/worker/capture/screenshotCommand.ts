/**
 * The `screenshot-tab` keyboard command: captures the visible part of the tab the shortcut was pressed
 * in and opens the popup with the capture selected (the type preset to FEEDBACK there). The shortcut
 * grants `activeTab` for that tab, so no permission is asked
 * (https://developer.chrome.com/docs/extensions/develop/concepts/activeTab#invoking-activeTab).
 * The capture waits in the pending-image slot (src/shared/pendingImage.ts), as a right-clicked image
 * does for "Upload image to Glean…": bytes never travel in messages.
 */
import type { Tabs } from 'webextension-polyfill';
import { captureTab } from '../../shared/captureTab.ts';
import { t } from '../../shared/i18n.ts';
import { logError } from '../../shared/logFailure.ts';
import { forgetPendingImage, keepPendingImage } from '../../shared/pendingImage.ts';
import { notifyNotUploaded } from '../contextMenu/notify.ts';
import { openPopup } from '../openPopup.ts';

export const SCREENSHOT_COMMAND = 'screenshot-tab';

export function onScreenshotCommand(command: string, tab: Tabs.Tab | undefined): void {
  if (command !== SCREENSHOT_COMMAND) return;
  // The popup first, before the first await: Firefox opens it only within the shortcut's user action
  // (src/worker/openPopup.ts). Chrome needs no such order, and the popup is no part of the tab's picture
  // (`captureVisibleTab` takes the page, not the browser's own windows). Over the tab's own window: the
  // one the shortcut was pressed in, focused then. Where it cannot open, a window of its own opens.
  void openPopup(tab?.windowId).catch((error: unknown) => logError('the popup did not open', error));
  const capture = captureTab(tab?.windowId, tab?.url);
  void (async () => {
    // The popup, opening now, must not show an image kept before this one while this one is captured.
    await forgetPendingImage();
    let file: File;
    try {
      file = await capture;
    } catch (error) {
      await notifyNotUploaded(t('screenshotFailed', error instanceof Error ? error.message : String(error)));
      return;
    }
    await keepPendingImage(file, file.name, { screenshot: true });
  })();
}

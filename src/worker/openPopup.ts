/**
 * Opens the toolbar popup (the upload form and "Recent uploads"). `action.openPopup` works in Chrome
 * from 127 (https://developer.chrome.com/docs/extensions/reference/api/action#method-openPopup) and in
 * Firefox only from a user action such as a menu click
 * (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/action/openPopup), so call it
 * before the listener's first `await`. Where it cannot, the same page opens in a small window.
 * Given a window, it opens over that one: Chrome otherwise takes the last active window, and refuses
 * with "Could not find an active browser window" when that one has lost the focus.
 */
import { browser } from '../shared/browser.ts';

function openToolbarPopup(windowId: number | undefined): Promise<void> {
  try {
    // Older Chrome has no such function at all: calling it throws instead of rejecting.
    return browser.action.openPopup(windowId === undefined ? undefined : { windowId });
  } catch (error) {
    return Promise.reject(error);
  }
}

/** `windowId`: the window the click or shortcut happened in, when known. */
export function openPopup(windowId?: number): Promise<void> {
  return openToolbarPopup(windowId).catch(async () => {
    await browser.windows.create({ url: browser.runtime.getURL('popup.html'), type: 'popup', width: 420, height: 640 });
  });
}

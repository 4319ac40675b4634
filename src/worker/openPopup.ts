/**
 * Opens the toolbar popup (the upload form and "Recent uploads"). `action.openPopup` works in Chrome
 * from 127 (https://developer.chrome.com/docs/extensions/reference/api/action#method-openPopup) and in
 * Firefox only from a user action such as a menu click
 * (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/action/openPopup), so call it
 * before the listener's first `await`. Where it cannot, the same page opens in a small window.
 */
import browser from 'webextension-polyfill';

function openToolbarPopup(): Promise<void> {
  try {
    // Older Chrome has no such function at all: calling it throws instead of rejecting.
    return browser.action.openPopup();
  } catch (error) {
    return Promise.reject(error);
  }
}

export function openPopup(): Promise<void> {
  return openToolbarPopup().catch(async () => {
    await browser.windows.create({ url: browser.runtime.getURL('popup.html'), type: 'popup', width: 420, height: 640 });
  });
}

/**
 * "Screenshot this tab": the visible part of a window's active tab as a PNG file, for the popup's button
 * and the `screenshot-tab` keyboard command alike. `tabs.captureVisibleTab` needs `activeTab` (granted by
 * a click on the toolbar button, a context-menu click or a keyboard command) or `<all_urls>`
 * (https://developer.chrome.com/docs/extensions/reference/api/tabs#method-captureVisibleTab,
 * https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/tabs/captureVisibleTab), so the
 * manifest asks for no new permission: the person's own click or shortcut is the grant.
 */
import { browser } from './browser.ts';
import { t } from './i18n.ts';

/** `windowId` undefined: the current window (the popup's, for the toolbar popup). */
export async function captureTab(windowId: number | undefined, pageUrl: string | undefined): Promise<File> {
  const dataUrl = await browser.tabs.captureVisibleTab(windowId, { format: 'png' });
  // The bytes are in the URL: this fetch goes nowhere (the house rule asks every fetch to say `omit` anyway).
  const blob = await (await fetch(dataUrl, { credentials: 'omit' })).blob();
  return new File([blob], screenshotFileName(pageUrl, new Date()), { type: 'image/png' });
}

/** "Screenshot of example.com 2025-01-31 14.05.png": where and when, as screenshot tools name them. */
export function screenshotFileName(pageUrl: string | undefined, at: Date): string {
  let host = '';
  try {
    host = new URL(pageUrl ?? '').hostname;
  } catch {
    // No address (a new tab, or no `tabs` permission to see it): the date alone names it.
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  const when = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}.${pad(at.getMinutes())}.${pad(at.getSeconds())}`;
  return host ? t('screenshotFileNameHost', host, when) : t('screenshotFileName', when);
}

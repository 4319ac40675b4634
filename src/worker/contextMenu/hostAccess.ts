/**
 * Read access to the site an image comes from (the manifest's `optional_host_permissions`), asked for
 * at the click. `permissions.request` needs a user action, and a menu click counts as one only until
 * its listener first yields (Chrome: https://developer.chrome.com/docs/extensions/reference/api/permissions#method-request;
 * Firefox: https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/User_actions), so this
 * must be called before the listener's first `await`.
 */
import browser from 'webextension-polyfill';

/** Resolves true when the worker may fetch from `url`'s site. Shows no prompt when access is already granted. */
export function askHostAccess(url: URL): Promise<boolean> {
  // Match patterns carry no port: access to a host covers all of its ports.
  const access = { origins: [`${url.protocol}//${url.hostname}/*`] };
  // Where the browser does not see a user action (a click it did not deliver itself), the request is
  // rejected outright; access granted earlier still counts.
  return browser.permissions.request(access).catch(() => browser.permissions.contains(access));
}

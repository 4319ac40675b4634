/**
 * Read access to the site an image comes from (the manifest's `optional_host_permissions`), asked for
 * at the click. `permissions.request` needs a user action, and a menu click counts as one only until
 * its listener first yields (Chrome: https://developer.chrome.com/docs/extensions/reference/api/permissions#method-request;
 * Firefox: https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/User_actions), so this
 * must be called before the listener's first `await`.
 */
import { browser } from '../../shared/browser.ts';

/** The access that lets the worker fetch from `url`'s site. Match patterns carry no port: a host covers all of its ports. */
export const hostAccessFor = (url: URL): { origins: string[] } => ({ origins: [`${url.protocol}//${url.hostname}/*`] });

/** Whether the worker may already fetch from `url`'s site (no prompt, no user action needed). */
export const hasHostAccess = (url: URL): Promise<boolean> => browser.permissions.contains(hostAccessFor(url));

/**
 * Resolves true when the worker may fetch from `url`'s site. Shows no prompt when access is already
 * granted. Called from the context menu's click, and from the popup's click for a pasted link.
 */
export function askHostAccess(url: URL): Promise<boolean> {
  const access = hostAccessFor(url);
  // Where the browser does not see a user action (a click it did not deliver itself), the request is
  // rejected outright; access granted earlier still counts.
  return browser.permissions.request(access).catch(() => browser.permissions.contains(access));
}

/**
 * Host access to the configured Glean server, checked before every request to it.
 *
 * Without it the browser does not fail loudly: the worker's fetch meets CORS and rejects like a network
 * failure, which would tell the person "Glean could not be reached" while the network is fine. Access
 * can be missing in both browsers:
 * - Firefox: Manifest V3 host permissions were optional at install before Firefox 127, are still not
 *   granted for hosts an update adds (https://bugzil.la/1893232), and can be withdrawn at any time in
 *   about:addons → Permissions (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/manifest.json/host_permissions#requested_permissions_and_user_prompts).
 * - Chrome: "Site access: On click" or "On specific sites" in chrome://extensions withholds even the
 *   manifest's required hosts (https://developer.chrome.com/docs/extensions/develop/concepts/declare-permissions#host-permissions).
 * So each request first asks `permissions.contains`, and a missing access becomes its own error
 * ('no-access') whose message points at the pages' "Grant access" button (src/ui/GrantAccessBanner.tsx).
 */
import type { GleanConnection } from '../glean/client.ts';
import { GleanError } from '../glean/gleanError.ts';
import { instanceHostPattern } from '../glean/instance.ts';

/** `permissions.contains`, injected so that the check is unit-tested without a browser. */
export type ContainsPermissions = (permissions: { origins: string[] }) => Promise<boolean>;

/** Wraps `connection` so that it also throws `no-access` when the browser withholds the server's host. */
export function requireServerAccess<C extends GleanConnection>(connection: () => Promise<C>, contains: ContainsPermissions): () => Promise<C> {
  return async () => {
    const conn = await connection();
    const pattern = instanceHostPattern(conn.baseUrl);
    if (!(await contains({ origins: [pattern] }))) {
      throw new GleanError('no-access', `No host permission for ${pattern}.`);
    }
    return conn;
  };
}

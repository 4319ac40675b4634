/**
 * Host permission for the Glean server, asked for by Save. Even `https://*.glean.com/*`, which the
 * manifest requires, may be missing: Firefox did not grant Manifest V3 host permissions at install
 * before 127 and lets people withdraw them, and Chrome withholds them under "Site access: On click"
 * (see src/worker/requireServerAccess.ts). Asking costs nothing when access is there: neither browser shows
 * a prompt then. Called synchronously from the click (Save, or Sign in): `permissions.request` needs the
 * user gesture. Rejects, saying so, when the person refuses.
 */
import { browser } from '../shared/browser.ts';
import { instanceHostPattern, parseInstance } from '../glean/instance.ts';
import { t } from '../shared/i18n.ts';

export async function requestServerAccess(instance: string): Promise<void> {
  const parsed = parseInstance(instance.trim());
  // A bad instance is reported by the worker's validation; nothing to ask for yet.
  if (parsed.ok && !(await browser.permissions.request({ origins: [instanceHostPattern(parsed.baseUrl)] }))) {
    throw new Error(t('optionsAccessRefused'));
  }
}

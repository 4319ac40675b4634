/**
 * Enterprise policy for one add-on in a real Firefox, without root. Firefox gives an extension's
 * `storage.managed` the `data` of a managed storage manifest: a native manifest of type "storage"
 * named after the add-on id, which on Linux a user may put in `~/.mozilla/managed-storage/<id>.json`
 * (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Native_manifests#managed_storage_manifests).
 *
 * Tried with Firefox ESR 153 here: `~` is $HOME, read on every `storage.managed.get` (a manifest
 * written after the browser started counts); `$XDG_CONFIG_HOME/mozilla/managed-storage` and
 * `~/.config/mozilla/managed-storage` are not read, although this Firefox keeps its own files under
 * `~/.config/mozilla`. So a Firefox started with HOME set to a folder of the test's own reads managed
 * storage from there only: a manifest written for one add-on id reaches that copy and no other, and
 * nothing of the machine's user is read or written.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FirefoxHome {
  /** The folder to give Firefox as HOME. */
  readonly dir: string;
  /** Writes `policy` as the managed storage of the add-on `addonId`; before it is installed, so its first reading has it. */
  setPolicy(addonId: string, policy: Readonly<Record<string, unknown>>): Promise<void>;
  removePolicy(addonId: string): Promise<void>;
  /** Removes the folder (once its Firefox has closed). */
  remove(): Promise<void>;
}

export async function createFirefoxHome(): Promise<FirefoxHome> {
  const dir = await mkdtemp(join(tmpdir(), 'glean-images-firefox-home-'));
  const managedStorage = join(dir, '.mozilla', 'managed-storage');
  await mkdir(managedStorage, { recursive: true });
  const manifestPath = (addonId: string): string => join(managedStorage, `${addonId}.json`);
  return {
    dir,
    setPolicy: (addonId, policy) =>
      writeFile(manifestPath(addonId), JSON.stringify({ name: addonId, description: 'Enterprise policy for a test copy of Glean Images', type: 'storage', data: policy })),
    removePolicy: (addonId) => rm(manifestPath(addonId), { force: true }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The four builds `npm run build` writes, and how each one's manifest differs from `manifest.json`. */

export type Browser = 'chrome' | 'firefox';

export interface Target {
  name: string;
  browser: Browser;
  /** Dev builds also reach the local sandbox and carry source maps. */
  dev: boolean;
}

export const TARGETS: readonly Target[] = [
  { name: 'chrome', browser: 'chrome', dev: false },
  { name: 'firefox', browser: 'firefox', dev: false },
  { name: 'chrome-dev', browser: 'chrome', dev: true },
  { name: 'firefox-dev', browser: 'firefox', dev: true },
];

/** The add-on id Firefox needs to keep storage and permissions across updates. */
export const GECKO_ID = 'glean-images@extensions.glean-images.dev';

/**
 * Firefox 140 (an ESR) is the first to read `data_collection_permissions`, which AMO now asks every
 * new add-on to declare; Firefox for Android reads it from 142.
 */
const GECKO_MIN_VERSION = '140.0';
const GECKO_ANDROID_MIN_VERSION = '142.0';

/** Loopback only: the sandbox and a locally run Glean. Match patterns ignore ports. */
export const DEV_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];

type Manifest = Record<string, unknown> & { host_permissions?: string[] };

export function manifestFor(source: Manifest, target: Target, version: string): Manifest {
  const manifest: Manifest = structuredClone(source);
  manifest.version = version;
  if (target.dev) {
    manifest.host_permissions = [...(manifest.host_permissions ?? []), ...DEV_HOSTS];
  }
  if (target.browser === 'firefox') {
    // Firefox runs MV3 backgrounds as event pages, not service workers
    // (https://bugzilla.mozilla.org/show_bug.cgi?id=1573659), and ignores Chrome-only keys.
    manifest.background = { scripts: ['worker.js'], type: 'module' };
    manifest.browser_specific_settings = {
      gecko: { id: GECKO_ID, strict_min_version: GECKO_MIN_VERSION, data_collection_permissions: { required: ['none'] } },
      gecko_android: { strict_min_version: GECKO_ANDROID_MIN_VERSION },
    };
    // Firefox reads policy-managed storage from enterprise policies, not from a schema file.
    delete manifest.storage;
    delete manifest.minimum_chrome_version;
  }
  return manifest;
}

/**
 * The store build's manifest for the self-hosting kit (scripts/packKit.ts): `update_url` makes the
 * browser ask the company's server for updates instead of the Chrome Web Store, and `key` (the base64
 * DER public key) pins the extension ID, and with it the sign-in redirect URL, whoever packs it
 * (https://developer.chrome.com/docs/extensions/reference/manifest/key).
 */
export function kitManifestFor(storeManifest: Manifest, kit: { version: string; updateUrl: string; publicKeyDer: Uint8Array }): Manifest {
  return {
    ...structuredClone(storeManifest),
    version: kit.version,
    update_url: kit.updateUrl,
    key: Buffer.from(kit.publicKeyDer).toString('base64'),
  };
}

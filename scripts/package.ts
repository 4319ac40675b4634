/**
 * `npm run package`: zips the store builds of `npm run build` into versioned, reproducible uploads:
 *   dist/chrome/  -> artifacts/glean-images-chrome-<version>.zip
 *   dist/firefox/ -> artifacts/glean-images-firefox-<version>.zip
 * Reproducible (see zipDirectory.ts) so a reviewer can rebuild and compare checksums.
 *
 * Given a signing key, it also writes the self-hosting kit for Chrome and Edge (docs/ADMIN.md):
 *   GLEAN_IMAGES_CRX_KEY=<PEM RSA private key> GLEAN_IMAGES_UPDATE_BASE_URL=<https://...> npm run package
 *   -> artifacts/glean-images-<version>.crx, artifacts/updates.xml, artifacts/extension-id.txt
 * GLEAN_IMAGES_VERSION overrides package.json's version and GLEAN_IMAGES_ARTIFACTS_DIR the output
 * folder (tests build 1.0.0, then 1.0.1, into a folder of their own).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkVersion, KIT_HOW_TO, kitUrls, loadSigningKey, parseUpdateBaseUrl, type SigningKey } from './kit.ts';
import { packKit } from './packKit.ts';
import { zipDirectory } from './zipDirectory.ts';

const root = new URL('..', import.meta.url).pathname;
// Only the store builds: the dev folders carry source maps and dev-only settings.
const STORE_TARGETS = ['chrome', 'firefox'] as const;

function readVersion(): string {
  const override = process.env.GLEAN_IMAGES_VERSION;
  if (override) return checkVersion(override);
  const pkg: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined;
  if (typeof version !== 'string' || version === '') throw new Error('package.json has no "version"');
  return version;
}

interface KitConfig {
  key: SigningKey;
  keyPath: string;
  baseUrl: string;
}

/** The kit's inputs, checked; undefined when no key is given (the kit is optional). */
function readKitConfig(): KitConfig | undefined {
  const keyPath = process.env.GLEAN_IMAGES_CRX_KEY;
  if (!keyPath) return undefined;
  const baseUrl = process.env.GLEAN_IMAGES_UPDATE_BASE_URL;
  if (!baseUrl) {
    throw new Error('GLEAN_IMAGES_CRX_KEY is set but GLEAN_IMAGES_UPDATE_BASE_URL is not: give the https:// folder where you will host the kit');
  }
  const absoluteKeyPath = resolve(keyPath);
  return { key: loadSigningKey(absoluteKeyPath), keyPath: absoluteKeyPath, baseUrl: parseUpdateBaseUrl(baseUrl) };
}

/** The manifest with another version, when GLEAN_IMAGES_VERSION differs from the build's. */
function versionReplacement(dir: string, version: string): Record<string, Uint8Array> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  if (manifest.version === version) return {};
  return { 'manifest.json': new TextEncoder().encode(JSON.stringify({ ...manifest, version }, null, 2) + '\n') };
}

async function main(): Promise<void> {
  const version = readVersion();
  // Check every input before writing anything, so a half-built dist/ never leaves one stale zip.
  const missing = STORE_TARGETS.map((t) => join(root, 'dist', t)).filter(
    (dir) => !existsSync(dir) || !statSync(dir).isDirectory(),
  );
  if (missing.length > 0) {
    console.error(`package: missing ${missing.map((d) => relative(root, d)).join(', ')}: run npm run build first`);
    process.exit(1);
  }
  const kit = readKitConfig();
  // Zip everything in memory first: an unzippable folder then fails the run before any file is written.
  const zips = STORE_TARGETS.map((target) => {
    const dir = join(root, 'dist', target);
    return { target, zip: zipDirectory(dir, versionReplacement(dir, version)) };
  });
  const artifacts = resolve(root, process.env.GLEAN_IMAGES_ARTIFACTS_DIR ?? 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  for (const { target, zip } of zips) {
    const out = join(artifacts, `glean-images-${target}-${version}.zip`);
    writeFileSync(out, zip);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    console.log(`${relative(root, out)}  ${zip.length} bytes  sha256 ${sha256}`);
  }
  if (!kit) {
    console.log(`\n${KIT_HOW_TO}`);
    return;
  }
  const { id, crxPath, updateManifestPath, idPath } = await packKit({ extensionDir: join(root, 'dist', 'chrome'), version, ...kit, outDir: artifacts });
  for (const path of [crxPath, updateManifestPath, idPath]) console.log(relative(root, path));
  console.log(`\nExtension ID: ${id}`);
  console.log(`Host ${relative(root, crxPath)} and ${relative(root, updateManifestPath)} at ${kit.baseUrl}/`);
  console.log(`Force-install with: ${id};${kitUrls(kit.baseUrl, version).updateUrl}`);
  console.log(`Allow this sign-in redirect URL in Glean: https://${id}.chromiumapp.org/*`);
}

try {
  await main();
} catch (error) {
  // Our own errors already say what is wrong; a stack trace would only bury the message.
  console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

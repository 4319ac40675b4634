/**
 * The self-hosting kit for Chrome and Edge (docs/ADMIN.md): the store build, with `update_url` and
 * `key` added to its manifest, signed into a CRX3, plus the update manifest and the extension ID.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import crx3 from 'crx3';
import { crxName, EXTENSION_ID_NAME, kitUrls, UPDATE_MANIFEST_NAME, updateManifestXml, type SigningKey } from './kit.ts';
import { kitManifestFor } from './targets.ts';
import { zipDirectory } from './zipDirectory.ts';

export interface KitInput {
  /** The store build to ship (dist/chrome). */
  extensionDir: string;
  version: string;
  /** From `loadSigningKey`: crx3 reads the key from `keyPath` itself. */
  key: SigningKey;
  keyPath: string;
  /** From `parseUpdateBaseUrl`. */
  baseUrl: string;
  outDir: string;
}

export interface Kit {
  id: string;
  crxPath: string;
  updateManifestPath: string;
  idPath: string;
}

export async function packKit({ extensionDir, version, key, keyPath, baseUrl, outDir }: KitInput): Promise<Kit> {
  const { updateUrl, codebase } = kitUrls(baseUrl, version);
  const storeManifest: unknown = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8'));
  if (typeof storeManifest !== 'object' || storeManifest === null) throw new Error(`${extensionDir}/manifest.json is not an object`);
  const manifest = kitManifestFor(storeManifest as Record<string, unknown>, { version, updateUrl, publicKeyDer: key.publicKeyDer });
  const zip = zipDirectory(extensionDir, { 'manifest.json': new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n') });

  mkdirSync(outDir, { recursive: true });
  const crxPath = join(outDir, crxName(version));
  const { appId } = await crx3(Readable.from([Buffer.from(zip)]), { crxPath, keyPath });
  // Two derivations of one ID: if they ever disagree, the printed ID would not be the browser's.
  if (appId !== key.id) throw new Error(`crx3 signed for ${appId}, but the key gives ${key.id}`);

  const updateManifestPath = join(outDir, UPDATE_MANIFEST_NAME);
  writeFileSync(updateManifestPath, updateManifestXml({ id: key.id, version, codebase }));
  const idPath = join(outDir, EXTENSION_ID_NAME);
  writeFileSync(idPath, `${key.id}\n`);
  return { id: key.id, crxPath, updateManifestPath, idPath };
}

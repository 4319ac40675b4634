/**
 * The pure parts of the self-hosting kit (docs/ADMIN.md): the extension ID a signing key gives, the
 * update manifest Chrome and Edge poll, and the checks on what an administrator passes in.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Chrome's ID for a packed extension: the first 128 bits of SHA-256 of the DER SubjectPublicKeyInfo,
 * in hex written with the letters a-p (components/crx_file/id_util.cc, GenerateId).
 */
export function extensionIdFromPublicKey(spkiDer: Uint8Array): string {
  return extensionIdFromBytes(createHash('sha256').update(spkiDer).digest().subarray(0, 16));
}

/** 16 bytes (a CRX3 header's crx_id) as an extension ID: hex digits 0-f written a-p. */
export function extensionIdFromBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return [...hex].map((digit) => String.fromCharCode('a'.charCodeAt(0) + parseInt(digit, 16))).join('');
}

/** The DER SubjectPublicKeyInfo of a key pair, from its private (or public) key. */
export function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/**
 * A Chrome extension version: one to four dot-separated integers, each at most 65535, no leading
 * zeros (https://developer.chrome.com/docs/extensions/reference/manifest/version).
 */
export function checkVersion(version: string): string {
  const parts = version.split('.');
  const valid =
    parts.length >= 1 &&
    parts.length <= 4 &&
    parts.every((part) => /^(0|[1-9]\d{0,4})$/.test(part) && Number(part) <= 65535);
  if (!valid) throw new Error(`"${version}" is not an extension version: use 1 to 4 numbers separated by dots, such as 1.2.0`);
  return version;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Where the kit will be hosted, without a trailing slash. Browsers fetch updates for force-installed
 * extensions from any URL, so HTTPS is what keeps a network attacker from serving another CRX's
 * update manifest; plain http is accepted only on loopback, for tests.
 */
export function parseUpdateBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`GLEAN_IMAGES_UPDATE_BASE_URL "${text}" is not a URL: give the https:// address of the folder that will hold the kit`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`GLEAN_IMAGES_UPDATE_BASE_URL must start with https:// (http:// is accepted only for 127.0.0.1 and localhost): got "${text}"`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error(`GLEAN_IMAGES_UPDATE_BASE_URL must be a plain folder URL, without a user name, query or #fragment: got "${text}"`);
  }
  return url.href.replace(/\/+$/, '');
}

export interface SigningKey {
  privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo: what the manifest's `key` and the extension ID derive from. */
  publicKeyDer: Buffer;
  id: string;
}

/** Reads the administrator's PEM RSA private key (PKCS#1 or PKCS#8) and derives the extension ID. */
export function loadSigningKey(path: string): SigningKey {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new Error(`GLEAN_IMAGES_CRX_KEY: cannot read "${path}" (${reason}): give the path of your PEM private key`, { cause: error });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`GLEAN_IMAGES_CRX_KEY: "${path}" is not an unencrypted PEM private key (${reason})`, { cause: error });
  }
  // CRX3 as Chrome checks it for self-hosted extensions is signed with RSA (sha256_with_rsa).
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new Error(`GLEAN_IMAGES_CRX_KEY: "${path}" is a ${privateKey.asymmetricKeyType ?? 'unknown'} key; the kit needs an RSA key`);
  }
  const der = publicKeyDer(privateKey);
  return { privateKey, publicKeyDer: der, id: extensionIdFromPublicKey(der) };
}

export const UPDATE_MANIFEST_NAME = 'updates.xml';
export const EXTENSION_ID_NAME = 'extension-id.txt';
export const crxName = (version: string): string => `glean-images-${version}.crx`;

/** Where the browser finds the update manifest and the CRX, once the kit is hosted at `baseUrl`. */
export function kitUrls(baseUrl: string, version: string): { updateUrl: string; codebase: string } {
  return { updateUrl: `${baseUrl}/${UPDATE_MANIFEST_NAME}`, codebase: `${baseUrl}/${crxName(version)}` };
}

const escapeAttribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Google's update manifest (protocol 2.0) for one extension:
 * https://developer.chrome.com/docs/extensions/how-to/distribute/host-on-linux#update_manifest
 */
export function updateManifestXml({ id, version, codebase }: { id: string; version: string; codebase: string }): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<gupdate xmlns="http://www.google.com/update2/response" protocol="2.0">`,
    `  <app appid="${escapeAttribute(id)}">`,
    `    <updatecheck codebase="${escapeAttribute(codebase)}" version="${escapeAttribute(version)}"/>`,
    `  </app>`,
    `</gupdate>`,
    ``,
  ].join('\n');
}

/** What `npm run package` prints when no key is given: how to make one and pass it. */
export const KIT_HOW_TO = `No self-hosting kit for Chrome and Edge was made (see docs/ADMIN.md). To make one, set
  GLEAN_IMAGES_CRX_KEY=<path of your PEM RSA private key>
  GLEAN_IMAGES_UPDATE_BASE_URL=<https:// folder where you will host the kit>
Make the key once, keep it secret and backed up, and reuse it for every update: the extension ID, and
with it the sign-in redirect URL, derives from it. Either of these makes one:
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out glean-images.pem
  node -e "const {generateKeyPairSync}=require('node:crypto');process.stdout.write(generateKeyPairSync('rsa',{modulusLength:2048}).privateKey.export({type:'pkcs8',format:'pem'}))" > glean-images.pem`;

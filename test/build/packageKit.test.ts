/**
 * `npm run package` as an administrator runs it (on `npm run build`'s dist/): the store zips always;
 * the self-hosting kit when given a key and a base URL; a clear refusal for a bad key or an http URL.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { extensionIdFromPublicKey } from '../../scripts/kit.ts';
import { root } from '../harness/chromium.ts';
import { verifyCrx3 } from '../harness/crx.ts';
import { printedId, runPackage, writeThrowawayKey } from '../harness/kit.ts';

let work = '';
let keyPath = '';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'glean-images-package-'));
  keyPath = await writeThrowawayKey(work);
});
after(() => rm(work, { recursive: true, force: true }));

const outDir = (name: string): string => join(work, name);

/** The exit code and what a failed run printed. */
async function refused(env: Record<string, string>, out: string): Promise<{ code: unknown; stderr: string }> {
  const error = await runPackage(env, out).then(
    () => assert.fail('npm run package should have failed'),
    (failure: { code?: unknown; stderr?: string }) => failure,
  );
  return { code: error.code, stderr: error.stderr ?? '' };
}

test('package: without a key, the store zips and how to make a key; exit 0', async () => {
  const out = outDir('no-key');
  const { stdout } = await runPackage({ GLEAN_IMAGES_VERSION: '2.3.4' }, out);
  assert.deepEqual(readdirSync(out).sort(), ['glean-images-chrome-2.3.4.zip', 'glean-images-firefox-2.3.4.zip']);
  assert.match(stdout, /GLEAN_IMAGES_CRX_KEY=/);
  assert.match(stdout, /openssl genpkey -algorithm RSA/);
  const manifest = JSON.parse(strFromU8(unzipSync(readFileSync(join(out, 'glean-images-chrome-2.3.4.zip')))['manifest.json'] ?? new Uint8Array()));
  assert.equal(manifest.version, '2.3.4', 'GLEAN_IMAGES_VERSION reaches the zipped manifest');
});

test('package: with a key and an https base URL, a kit of the store build whose ID it prints', async () => {
  const out = outDir('kit');
  const { stdout } = await runPackage({ GLEAN_IMAGES_CRX_KEY: keyPath, GLEAN_IMAGES_UPDATE_BASE_URL: 'https://intranet.example.com/glean/', GLEAN_IMAGES_VERSION: '1.4.0' }, out);
  const id = printedId(stdout);
  assert.equal(readFileSync(join(out, 'extension-id.txt'), 'utf8'), `${id}\n`);
  assert.match(stdout, new RegExp(`https://${id}\\.chromiumapp\\.org/`), 'the redirect URL to allow in Glean');

  const crx = verifyCrx3(readFileSync(join(out, 'glean-images-1.4.0.crx')));
  assert.equal(crx.id, id);
  const files = unzipSync(new Uint8Array(crx.zip));
  const manifest = JSON.parse(strFromU8(files['manifest.json'] ?? new Uint8Array())) as Record<string, unknown>;
  const store = JSON.parse(readFileSync(join(root, 'dist', 'chrome', 'manifest.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(manifest, {
    ...store,
    version: '1.4.0',
    update_url: 'https://intranet.example.com/glean/updates.xml',
    key: crx.publicKeyDer.toString('base64'),
  });
  assert.equal(extensionIdFromPublicKey(crx.publicKeyDer), id);
  assert.ok(!Object.keys(files).some((name) => name.endsWith('.map')), 'the store build, without source maps');

  const xml = readFileSync(join(out, 'updates.xml'), 'utf8');
  assert.match(xml, new RegExp(`<app appid="${id}">`));
  assert.match(xml, /<updatecheck codebase="https:\/\/intranet\.example\.com\/glean\/glean-images-1\.4\.0\.crx" version="1\.4\.0"\/>/);
});

const REFUSED: { name: string; env: Record<string, string>; message: RegExp }[] = [
  { name: 'a key path that does not exist', env: { GLEAN_IMAGES_CRX_KEY: '/nonexistent/glean.pem' }, message: /GLEAN_IMAGES_CRX_KEY: cannot read/ },
  { name: 'a file that is not a key', env: { GLEAN_IMAGES_CRX_KEY: join(root, 'package.json') }, message: /is not an unencrypted PEM private key/ },
  { name: 'a non-loopback http base URL', env: { GLEAN_IMAGES_UPDATE_BASE_URL: 'http://intranet.example.com/kit' }, message: /must start with https:\/\// },
  { name: 'a key without a base URL', env: { GLEAN_IMAGES_UPDATE_BASE_URL: '' }, message: /GLEAN_IMAGES_UPDATE_BASE_URL is not/ },
  { name: 'a version Chrome cannot read', env: { GLEAN_IMAGES_VERSION: '1.0-beta' }, message: /is not an extension version/ },
];

for (const { name, env, message } of REFUSED) {
  test(`package: ${name} is refused before anything is written; exit 1`, async () => {
    const out = outDir(`refused-${name.replace(/\W+/g, '-')}`);
    const { code, stderr } = await refused({ GLEAN_IMAGES_CRX_KEY: keyPath, GLEAN_IMAGES_UPDATE_BASE_URL: 'https://h.example/kit', ...env }, out);
    assert.equal(code, 1);
    assert.match(stderr, message);
    assert.equal(existsSync(out), false, 'not even the zips');
  });
}

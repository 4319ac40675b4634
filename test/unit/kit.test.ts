/**
 * The self-hosting kit without a browser: the ID a key gives, the inputs an administrator passes,
 * the update manifest, the kit's manifest, and a real CRX3 packed and verified (test/harness/crx.ts).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import {
  checkVersion,
  extensionIdFromBytes,
  extensionIdFromPublicKey,
  kitUrls,
  loadSigningKey,
  parseUpdateBaseUrl,
  updateManifestXml,
} from '../../scripts/kit.ts';
import { packKit } from '../../scripts/packKit.ts';
import { kitManifestFor } from '../../scripts/targets.ts';
import { verifyCrx3 } from '../harness/crx.ts';

let dir = '';
const pem = (type: 'pkcs1' | 'pkcs8'): string => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type, format: 'pem' }).toString();
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'glean-images-kit-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('extension ID', () => {
  it('writes the hex digits 0-f as the letters a-p', () => {
    const bytes = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    assert.equal(extensionIdFromBytes(bytes), 'abcdefghijklmnopponmlkjihgfedcba');
  });

  it('is the first 128 bits of SHA-256 of the DER public key', () => {
    // SHA-256("") = e3b0c442 98fc1c14 9afbf4c8 996fb924 ...
    assert.equal(extensionIdFromPublicKey(new Uint8Array()), 'odlameecjipmbmbejkplpemijjgpljce');
  });

  it('is the same for a PKCS#1 and a PKCS#8 copy of one key, and differs between keys', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'one-pkcs1.pem'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
    writeFileSync(join(dir, 'one-pkcs8.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'other.pem'), pem('pkcs8'));
    const id = loadSigningKey(join(dir, 'one-pkcs1.pem')).id;
    assert.match(id, /^[a-p]{32}$/);
    assert.equal(loadSigningKey(join(dir, 'one-pkcs8.pem')).id, id);
    assert.notEqual(loadSigningKey(join(dir, 'other.pem')).id, id);
  });
});

describe('loadSigningKey refuses what cannot sign a CRX, saying what to give', () => {
  const rows: { name: string; write?: string | Buffer; message: RegExp }[] = [
    { name: 'a missing file', message: /cannot read .* \(ENOENT\): give the path of your PEM private key/ },
    { name: 'a text file', write: 'not a key\n', message: /is not an unencrypted PEM private key/ },
    {
      name: 'an encrypted key',
      write: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }),
      message: /is not an unencrypted PEM private key/,
    },
    {
      name: 'an EC key',
      write: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
      message: /is a ec key; the kit needs an RSA key/,
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const path = join(dir, `refused-${row.name.replace(/\W+/g, '-')}.pem`);
      if (row.write !== undefined) writeFileSync(path, row.write);
      assert.throws(() => loadSigningKey(path), (error: Error) => row.message.test(error.message) && error.message.startsWith('GLEAN_IMAGES_CRX_KEY'));
    });
  }
});

describe('parseUpdateBaseUrl', () => {
  it('takes an https folder, without its trailing slashes', () => {
    assert.equal(parseUpdateBaseUrl('https://intranet.example.com/glean-images/'), 'https://intranet.example.com/glean-images');
    assert.equal(parseUpdateBaseUrl(' https://intranet.example.com// '), 'https://intranet.example.com');
  });

  it('takes http only on loopback (for tests)', () => {
    assert.equal(parseUpdateBaseUrl('http://127.0.0.1:8123'), 'http://127.0.0.1:8123');
    assert.equal(parseUpdateBaseUrl('http://localhost:8123/kit/'), 'http://localhost:8123/kit');
  });

  for (const [name, text, message] of [
    ['plain http', 'http://intranet.example.com/kit', /must start with https:\/\//],
    ['http on a LAN address', 'http://192.168.1.20/kit', /must start with https:\/\//],
    ['ftp', 'ftp://intranet.example.com/kit', /must start with https:\/\//],
    ['not a URL', 'intranet/kit', /is not a URL/],
    ['a query', 'https://intranet.example.com/kit?v=1', /without a user name, query or #fragment/],
    ['credentials', 'https://alex:pw@intranet.example.com/kit', /without a user name, query or #fragment/],
  ] as const) {
    it(`refuses ${name}`, () => assert.throws(() => parseUpdateBaseUrl(text), message));
  }
});

describe('checkVersion', () => {
  for (const version of ['1', '1.0', '1.0.1', '1.2.3.4', '65535.0.0']) {
    it(`accepts ${version}`, () => assert.equal(checkVersion(version), version));
  }
  for (const version of ['', '1.0.0.0.0', '01.0', '1.a', '65536', 'v1.0', '1..0']) {
    it(`refuses "${version}"`, () => assert.throws(() => checkVersion(version), /is not an extension version/));
  }
});

describe('the update manifest and the kit manifest', () => {
  it("names the ID, the version and the CRX's URL under the base URL", () => {
    const { updateUrl, codebase } = kitUrls('https://intranet.example.com/kit', '1.2.0');
    assert.equal(updateUrl, 'https://intranet.example.com/kit/updates.xml');
    assert.equal(codebase, 'https://intranet.example.com/kit/glean-images-1.2.0.crx');
    assert.equal(
      updateManifestXml({ id: 'abcdefghijklmnopabcdefghijklmnop', version: '1.2.0', codebase }),
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<gupdate xmlns="http://www.google.com/update2/response" protocol="2.0">\n' +
        '  <app appid="abcdefghijklmnopabcdefghijklmnop">\n' +
        '    <updatecheck codebase="https://intranet.example.com/kit/glean-images-1.2.0.crx" version="1.2.0"/>\n' +
        '  </app>\n' +
        '</gupdate>\n',
    );
  });

  it('escapes what would end an XML attribute', () => {
    const xml = updateManifestXml({ id: 'a', version: '1', codebase: 'https://h.example/a?b=1&c="2"<' });
    assert.match(xml, /codebase="https:\/\/h\.example\/a\?b=1&amp;c=&quot;2&quot;&lt;"/);
  });

  it('adds update_url, key and the version to the store manifest, and leaves the rest alone', () => {
    const store = { manifest_version: 3, name: 'Glean Images', version: '0.1.0', host_permissions: ['https://*.glean.com/*'] };
    const der = new Uint8Array([1, 2, 3, 250]);
    const kit = kitManifestFor(store, { version: '1.0.1', updateUrl: 'https://h.example/kit/updates.xml', publicKeyDer: der });
    assert.deepEqual(kit, {
      ...store,
      version: '1.0.1',
      update_url: 'https://h.example/kit/updates.xml',
      key: Buffer.from(der).toString('base64'),
    });
    assert.equal(store.version, '0.1.0', 'the store manifest is not changed');
  });
});

describe('packKit', () => {
  let extensionDir = '';
  let keyPath = '';

  before(() => {
    extensionDir = join(dir, 'extension');
    mkdirSync(join(extensionDir, 'icons'), { recursive: true });
    writeFileSync(join(extensionDir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'Glean Images', version: '0.1.0' }));
    writeFileSync(join(extensionDir, 'worker.js'), 'self.addEventListener("install", () => {});\n');
    writeFileSync(join(extensionDir, 'icons', 'icon-16.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    keyPath = join(dir, 'kit.pem');
    writeFileSync(keyPath, pem('pkcs8'));
  });

  it('signs a CRX3 whose signature verifies, whose ID is the key\'s, and whose manifest pins both', async () => {
    const key = loadSigningKey(keyPath);
    const outDir = join(dir, 'out');
    const kit = await packKit({ extensionDir, version: '1.0.0', key, keyPath, baseUrl: 'https://h.example/kit', outDir });
    assert.equal(kit.id, key.id);
    assert.equal(kit.crxPath, join(outDir, 'glean-images-1.0.0.crx'));

    const crx = verifyCrx3(readFileSync(kit.crxPath));
    assert.equal(crx.id, key.id);
    assert.deepEqual(crx.publicKeyDer, key.publicKeyDer);
    const files = unzipSync(new Uint8Array(crx.zip));
    assert.deepEqual(Object.keys(files).sort(), ['icons/icon-16.png', 'manifest.json', 'worker.js']);
    const manifest = JSON.parse(strFromU8(files['manifest.json'] ?? new Uint8Array())) as Record<string, unknown>;
    assert.equal(manifest.version, '1.0.0');
    assert.equal(manifest.update_url, 'https://h.example/kit/updates.xml');
    assert.equal(extensionIdFromPublicKey(Buffer.from(String(manifest.key), 'base64')), key.id, 'the manifest key gives the same ID');

    assert.equal(readFileSync(kit.idPath, 'utf8'), `${key.id}\n`);
    assert.equal(
      readFileSync(kit.updateManifestPath, 'utf8'),
      updateManifestXml({ id: key.id, version: '1.0.0', codebase: 'https://h.example/kit/glean-images-1.0.0.crx' }),
    );
  });

  it('the verifier refuses a CRX whose zip was changed after signing', async () => {
    const key = loadSigningKey(keyPath);
    const kit = await packKit({ extensionDir, version: '1.0.0', key, keyPath, baseUrl: 'https://h.example/kit', outDir: join(dir, 'tampered') });
    const crx = readFileSync(kit.crxPath);
    const last = crx.length - 30;
    crx[last] = (crx[last] ?? 0) ^ 0xff;
    assert.throws(() => verifyCrx3(crx), /signature of [a-p]{32} does not verify/);
    assert.throws(() => verifyCrx3(Buffer.from('PK\x03\x04 not a crx')), /no "Cr24" magic/);
  });
});

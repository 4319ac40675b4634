/// <reference types="chrome" />
/**
 * Token custody, end to end: one whole session (save settings, test the connection, look up, upload,
 * a right-click upload, failures whose error pages echo the token, remove the token) is recorded from
 * every side a leak could show up on, and the token must appear in none of them: the replies and port
 * messages the pages receive, the storage change events the browser hands every page, the pages
 * themselves, what pages can read in IndexedDB and storage, the console of the pages and the worker,
 * the notifications, and every request to a server other than the configured Glean. Glean itself must
 * get it only as `Authorization: Bearer …`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { assertNoLeak, formsOf, readAround, recordCustody, rightClickUpload, type CustodyRecorder, type Recorded } from '../harness/custody.ts';
import { pngFile } from '../harness/files.ts';
import { startImageSite, type ImageSite } from '../harness/imageSite.ts';
import { connectionForm, openOptions } from '../harness/options.ts';
import { fillMetadata, lookUpForm, uploadForm, uploadItem } from '../harness/popup.ts';

/** Distinctive, so that finding it anywhere means the token leaked (not that a word happened to match). */
const TOKEN = `custody-${randomBytes(12).toString('hex')}`;
const TOKEN_FORMS = formsOf(TOKEN);
const leaks = (text: string): boolean => TOKEN_FORMS.some((form) => text.includes(form));

let sandbox: Sandbox;
let site: ImageSite;
let extension: Extension;
let custody: CustodyRecorder;

before(async () => {
  [sandbox, site] = await Promise.all([startSandbox({ port: 0, token: TOKEN }), startImageSite()]);
  extension = await launchExtension();
  custody = await recordCustody(extension);

  // Options: save the server and token, test the connection.
  const options = await openOptions(extension);
  await connectionForm(options).getByRole('textbox', { name: 'Glean instance' }).fill(sandbox.url);
  await connectionForm(options).getByLabel('API token').fill(TOKEN);
  await uploadDefaults(options);
  await connectionForm(options).getByRole('button', { name: 'Save' }).click();
  await connectionForm(options).getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  await connectionForm(options).getByRole('button', { name: 'Test connection' }).click();
  await connectionForm(options).getByRole('status').filter({ hasText: 'Glean accepted the token' }).waitFor();

  // The popup: a lookup, a lookup whose error page echoes the request, an upload, an upload whose
  // error page echoes it too (then Retry).
  const popup = await extension.openPage('popup.html');
  const look = lookUpForm(popup);
  const [sample] = sandbox.samples;
  assert.ok(sample);
  await look.getByRole('textbox', { name: 'Key' }).fill(sample.key);
  await look.getByRole('button', { name: 'Look up' }).click();
  await look.getByRole('img', { name: /^Glean image/ }).waitFor();
  sandbox.fault({ status: 403, operation: 'images', contentType: 'text/html', body: `<pre>Authorization: Bearer ${TOKEN}</pre>` });
  await look.getByRole('textbox', { name: 'Key' }).fill('no-such-key');
  await look.getByRole('button', { name: 'Look up' }).click();
  await look.getByRole('alert').filter({ hasText: 'permission or scope' }).waitFor();

  const upload = uploadForm(popup);
  const file = await pngFile('custody.png');
  sandbox.fault({ status: 400, operation: 'uploadimage', contentType: 'application/json', body: JSON.stringify({ error: 'bad', echo: `Bearer ${TOKEN}`, url: `?token=${TOKEN}` }) });
  await upload.getByLabel('Image file').setInputFiles(file.path);
  await fillMetadata(upload, { type: 'UGC', id: 'custody-1' });
  await upload.getByRole('button', { name: 'Upload' }).click();
  const item = uploadItem(popup, 'custody.png');
  await item.getByText('Failed', { exact: true }).waitFor();
  await item.getByRole('button', { name: 'Retry' }).click();
  await item.getByText('Uploaded', { exact: true }).waitFor();

  await rightClickUpload(extension, site, sandbox, popup, 'custody-menu');
  await readAround(custody, [options, popup], { before: 'token saved', after: 'token removed' }, async () => {
    await connectionForm(options).getByRole('button', { name: 'Remove token' }).click();
    await connectionForm(options).getByRole('status').filter({ hasText: 'Token removed.' }).waitFor();
  });
});

/** The right-click defaults, so the context-menu upload goes through without a prompt. */
async function uploadDefaults(options: Page): Promise<void> {
  const group = options.getByRole('group', { name: 'Right-click uploads' });
  await group.getByRole('combobox', { name: 'Type' }).selectOption('UGC');
  await group.getByRole('textbox', { name: 'ID', exact: true }).fill('custody-menu');
}

after(async () => {
  await extension?.close();
  await Promise.all([sandbox?.close(), site?.close()]);
});

const noLeakIn = (kind: Recorded['kind'], atLeast: number): void => assertNoLeak(custody.recorded, kind, atLeast, leaks);

describe('token custody over a whole session', () => {
  test('no reply to any message a page sent holds the token', () => {
    // settings/get ×2, save, test, two lookups, upload start, retry, remove token, cache stats…
    noLeakIn('reply', 8);
    assert.ok(custody.recorded.some((r) => r.kind === 'reply' && r.text.includes(`"tokenHint":"${TOKEN.slice(-4)}"`)), 'the pages did learn the hint');
  });

  test('no port message a page received holds the token', () => {
    noLeakIn('port', 0);
  });

  test('no storage change event the browser handed a page holds the token', () => {
    noLeakIn('storage', 3);
    assert.ok(custody.recorded.some((r) => r.kind === 'storage' && r.where.endsWith('options.html') && r.text.includes('"settings"')), 'the save itself was seen');
  });

  test('no page shows or can read the token: DOM, fields, IndexedDB, storage.session, storage.local', () => {
    assert.equal(custody.readable.length, 4);
    for (const { where, text } of custody.readable) {
      assert.ok(text.includes('custody.png'), `${where}: the read reached the upload jobs`);
      assert.ok(!leaks(text), `${where} holds the token`);
    }
  });

  test('no console message of the pages or the worker holds the token', () => {
    noLeakIn('console', 2);
    assert.ok(custody.recorded.some((r) => r.kind === 'console' && r.where === 'worker' && r.text.includes('notification: Uploaded to Glean')), 'the worker console was heard');
  });

  test('Glean gets the token only as Authorization: Bearer, and only Glean gets it', () => {
    const toGlean = sandbox.requests.filter((r) => r.path.startsWith('/rest/api/v1/'));
    assert.ok(toGlean.length >= 6, `${toGlean.length} requests reached Glean`);
    for (const request of toGlean) {
      assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
      const others = Object.entries(request.headers).filter(([name]) => name !== 'authorization');
      assert.ok(!leaks(JSON.stringify({ path: request.path, query: request.query, headers: others })), `${request.path} carries it elsewhere`);
    }
  });

  test('the image site, another server, never gets it: not in a header, the address or a body', () => {
    assert.ok(site.requests.length >= 2, 'the page and the worker fetched from the site');
    assert.ok(site.requests.some((r) => r.path === '/picture-web.png' && r.headers['sec-fetch-site'] === 'none'), 'the worker fetched the image');
    for (const request of site.requests) {
      assert.ok(!leaks(JSON.stringify(request)), `${request.path} carries it`);
      // Nothing but GETs, so there was no body to carry it.
      assert.equal(request.headers['content-length'] ?? '0', '0');
    }
  });
});

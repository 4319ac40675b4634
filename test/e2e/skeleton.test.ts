/// <reference types="chrome" />
/** The walking skeleton, end to end: options save the server and token, the popup looks an image up. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { openOptions } from '../harness/options.ts';

let sandbox: Sandbox;
let extension: Extension;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  extension = await launchExtension();
});
after(async () => {
  await extension?.close();
  await sandbox?.close();
});

test('options save the server and token; the popup looks up a sample image from Glean', async () => {
  const options = await openOptions(extension);
  await options.getByLabel('Glean instance').fill(sandbox.url);
  await options.getByLabel('API token').fill(sandbox.token);
  await options.getByRole('button', { name: 'Save' }).click();
  await options.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  assert.equal(await options.getByLabel('API token').inputValue(), '', 'the token field is emptied after saving');

  const popup = await extension.openPage('popup.html');
  const form = popup.getByRole('form', { name: 'Look up image' });
  await form.getByRole('combobox', { name: 'Type' }).selectOption('USER');
  await form.getByRole('textbox', { name: 'ID', exact: true }).fill('sample');
  await form.getByRole('button', { name: 'Look up' }).click();
  const image = form.getByRole('img', { name: /^Glean image/ });
  await image.waitFor();
  await form.getByRole('status').filter({ hasText: 'from Glean' }).waitFor();
  const width = await image.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
  assert.ok(width > 0, 'the image decodes');
  await form.getByText(`${width} × ${width} px · image/png`).waitFor();
  assert.match((await form.getByRole('link', { name: 'Save image' }).getAttribute('download')) ?? '', /\.png$/);

  // "Open full size" is one click: a tab that reads the image from the cache by itself.
  const [viewer] = await Promise.all([popup.context().waitForEvent('page'), form.getByRole('link', { name: 'Open full size' }).click()]);
  const full = viewer.getByRole('img', { name: 'Glean image at full size' });
  assert.equal(await full.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth)), width);

  const gets = sandbox.requests.filter((r) => r.path === '/rest/api/v1/images');
  assert.equal(gets.length, 1);
  assert.deepEqual(gets[0]?.query, { type: 'USER', id: 'sample' });
  assert.equal(gets[0]?.headers.authorization, `Bearer ${sandbox.token}`);
  assert.equal(gets[0]?.status, 200);
});

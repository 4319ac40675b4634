/// <reference types="chrome" />
/** Uploading from the popup: picked, dropped and pasted files; bad files refused; jobs that outlive the popup. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { samplePng } from '../../sandbox/png.ts';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { saveSettings } from '../harness/configure.ts';
import { pngFile, testFile } from '../harness/files.ts';
import { fillMetadata, uploadForm, uploadItem } from '../harness/popup.ts';

let sandbox: Sandbox;
let extension: Extension;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  extension = await launchExtension();
  const options = await extension.openPage('options.html');
  await saveSettings(options, { instance: sandbox.url, token: sandbox.token });
  await options.close();
});
after(async () => {
  await extension?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.clearFaults());

const uploads = () => sandbox.requests.filter((r) => r.operation === 'uploadimage');

describe('upload from the popup', () => {
  test('a large image shows a small preview, made once: the selection and Recent uploads show the same copy', async () => {
    // 1200 × 600 pixels: a preview keeps the shorter side at 96 px (twice the 48 px shown), 192 × 96.
    const file = await testFile('wide-photo.png', samplePng('wide-photo', 1200, 600));
    const popup = await extension.openPage('popup.html');
    const form = uploadForm(popup);
    await form.getByLabel('Image file').setInputFiles(file.path);
    const preview = form.getByRole('img', { name: 'Preview of wide-photo.png' });
    await preview.waitFor();
    await popup.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('img.preview')).every((img) => img.complete && img.naturalWidth > 0));
    const drawn = await preview.evaluate((img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight, src: img.src }));
    assert.deepEqual({ width: drawn.width, height: drawn.height }, { width: 192, height: 96 });
    await fillMetadata(form, { type: 'UGC', id: 'wide-photo' });
    await form.getByRole('button', { name: 'Upload' }).click();
    const item = uploadItem(popup, 'wide-photo.png');
    await item.getByText('Uploaded', { exact: true }).waitFor();
    assert.equal(await item.locator('img.thumb').getAttribute('src'), drawn.src, 'the form\'s preview, not the file read again');
    assert.equal(uploads().at(-1)?.bodySha256, file.sha256, 'the file itself is uploaded, not its preview');
  });

  test('a picked PNG uploads with its metadata, byte for byte, and shows its URL and key', async () => {
    const file = await pngFile('picked.png');
    const popup = await extension.openPage('popup.html');
    const form = uploadForm(popup);
    await form.getByLabel('Image file').setInputFiles(file.path);
    await form.getByRole('img', { name: 'Preview of picked.png' }).waitFor();
    await fillMetadata(form, { type: 'UGC', id: 'picked-1', ds: 'confluence' });
    await form.getByRole('button', { name: 'Upload' }).click();

    const item = uploadItem(popup, 'picked.png');
    await item.getByText('Uploaded', { exact: true }).waitFor();
    const link = item.getByRole('link');
    const href = (await link.getAttribute('href')) ?? '';
    const url = new URL(href);
    const key = url.searchParams.get('key');
    assert.ok(key, 'the URL carries the key');
    await item.getByText(`Key: ${key}`).waitFor();

    // "Copy URL" puts the URL on the clipboard: read it back from an ordinary page, the one place the
    // test can grant clipboard access (CDP refuses permissions to an extension's opaque origin).
    const reader = await popup.context().newPage();
    await reader.goto(sandbox.url);
    await popup.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
    await reader.evaluate(() => navigator.clipboard.writeText('not the URL yet'));
    await popup.bringToFront();
    await item.getByRole('button', { name: 'Copy URL' }).click();
    await item.getByRole('button', { name: 'Copied' }).waitFor();
    await reader.bringToFront();
    assert.equal(await reader.evaluate(() => navigator.clipboard.readText()), href);
    await reader.close();

    const [request] = uploads().filter((r) => r.query.id === 'picked-1');
    assert.ok(request);
    assert.deepEqual(request.query, { type: 'UGC', id: 'picked-1', ds: 'confluence' });
    assert.equal(request.headers['content-type'], 'image/png');
    assert.equal(request.bodyBytes, file.bytes.length, 'raw bytes on the wire, not base64');
    assert.equal(request.bodySha256, file.sha256);
  });

  test('a file dropped anywhere on the popup is selected and uploads', async () => {
    const file = await pngFile('dropped.png');
    const popup = await extension.openPage('popup.html');
    const cdp = await popup.context().newCDPSession(popup);
    const data = { items: [], files: [file.path], dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
      await cdp.send('Input.dispatchDragEvent', { type, x: 150, y: 150, data });
    }
    const form = uploadForm(popup);
    await form.getByRole('img', { name: 'Preview of dropped.png' }).waitFor();
    await fillMetadata(form, { type: 'LOGO', id: 'dropped-1' });
    await form.getByRole('button', { name: 'Upload' }).click();
    await uploadItem(popup, 'dropped.png').getByText('Uploaded', { exact: true }).waitFor();
    const [request] = uploads().filter((r) => r.query.id === 'dropped-1');
    assert.equal(request?.bodySha256, file.sha256);
  });

  test('a file dropped the moment the popup is drawn and scripted is taken, not lost', async () => {
    // Dropped from the page's DOMContentLoaded, which follows its module script (hydration) but may
    // come before the next frame, where a plain effect would only then start listening.
    const bytes = samplePng('early', 4, 4).toString('base64');
    const popup = await extension.context.newPage();
    await popup.addInitScript((base64) => {
      document.addEventListener('DOMContentLoaded', () => {
        const files = new DataTransfer();
        files.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'early.png', { type: 'image/png' }));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
      });
    }, bytes);
    await popup.goto(`chrome-extension://${extension.id}/popup.html`);
    await uploadForm(popup).getByRole('img', { name: 'Preview of early.png' }).waitFor();
  });

  test('a pasted image is selected and uploads', async () => {
    const file = await pngFile('pasted.png');
    const popup = await extension.openPage('popup.html');
    await popup.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })]);
    }, file.bytes.toString('base64'));
    await popup.locator('body').click({ position: { x: 5, y: 5 } });
    await popup.keyboard.press('Control+V');
    const form = uploadForm(popup);
    await form.getByRole('img', { name: /^Preview of/ }).waitFor();
    await fillMetadata(form, { type: 'HEADER', id: 'pasted-1' });
    await form.getByRole('button', { name: 'Upload' }).click();
    await uploadItem(popup, 'image.png').getByText('Uploaded', { exact: true }).waitFor();
    const [request] = uploads().filter((r) => r.query.id === 'pasted-1');
    assert.equal(request?.headers['content-type'], 'image/png');
    // Chrome re-encodes clipboard images (it sanitises them), so the bytes differ from the file's.
    assert.ok((request?.bodyBytes ?? 0) > 0);
  });

  const refused: [string, () => Promise<{ path: string }>, RegExp][] = [
    ['a text file named .png', () => testFile('not-an-image.png', Buffer.from('hello, I am text')), /not an image/],
    ['an empty file', () => testFile('empty.png', Buffer.alloc(0)), /empty/],
    ['a file over 20 MB', () => testFile('huge.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(21 * 1024 * 1024)])), /limit is 20 MB/],
  ];
  for (const [what, make, message] of refused) {
    test(`${what} is refused with a message and nothing is sent`, async () => {
      const file = await make();
      const before = sandbox.requests.length;
      const popup = await extension.openPage('popup.html');
      const form = uploadForm(popup);
      await form.getByLabel('Image file').setInputFiles(file.path);
      await form.getByRole('alert').filter({ hasText: message }).waitFor();
      await fillMetadata(form, { type: 'UGC', id: 'refused' });
      await form.getByRole('button', { name: 'Upload' }).click();
      await form.getByRole('alert').filter({ hasText: 'Choose an image file first' }).waitFor();
      assert.equal(sandbox.requests.length, before, 'no request reached Glean');
    });
  }

  test('closing the popup right after Upload does not stop the upload', async () => {
    sandbox.fault({ delayMs: 1500, operation: 'uploadimage' });
    const file = await pngFile('closed-early.png');
    const popup = await extension.openPage('popup.html');
    const form = uploadForm(popup);
    await form.getByLabel('Image file').setInputFiles(file.path);
    await fillMetadata(form, { type: 'UGC', id: 'closed-early' });
    await form.getByRole('button', { name: 'Upload' }).click();
    await popup.getByRole('status').filter({ hasText: 'Upload started' }).waitFor();
    await popup.close();

    const reopened = await extension.openPage('popup.html');
    await uploadItem(reopened, 'closed-early.png').getByText('Uploaded', { exact: true }).waitFor({ timeout: 15_000 });
    assert.equal(uploads().filter((r) => r.query.id === 'closed-early' && r.status === 200).length, 1);
  });

  test('with Glean offline the job waits, survives the worker being stopped, and finishes when Glean is back', async () => {
    await sandbox.goOffline();
    const file = await pngFile('offline.png');
    const popup = await extension.openPage('popup.html');
    const form = uploadForm(popup);
    await form.getByLabel('Image file').setInputFiles(file.path);
    await fillMetadata(form, { type: 'UGC', id: 'offline-1' });
    await form.getByRole('button', { name: 'Upload' }).click();
    const item = uploadItem(popup, 'offline.png');
    await item.getByText(/could not be reached/i).waitFor();
    await item.getByText('Queued', { exact: true }).waitFor();

    const cdp = await popup.context().newCDPSession(popup);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await popup.close();
    const sentBefore = uploads().length;
    await sandbox.goOnline();

    // No page is open and the worker was stopped: only its own alarm can bring the job back.
    const started = Date.now();
    await sandbox.waitForRequests(sentBefore + 1, { operation: 'uploadimage', timeoutMs: 90_000 });
    console.info(`the stopped worker resumed the upload after ${Date.now() - started} ms`);
    const reopened = await extension.openPage('popup.html');
    await uploadItem(reopened, 'offline.png').getByText('Uploaded', { exact: true }).waitFor({ timeout: 60_000 });
    const sent = uploads().filter((r) => r.query.id === 'offline-1' && r.status === 200);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.bodySha256, file.sha256);
  });
});

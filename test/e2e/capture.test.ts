/// <reference types="chrome" />
/**
 * Issue 15 end to end in Chromium: many images at once, "Screenshot this tab" (whole and cropped, by
 * keyboard and by pointer), Copy Markdown and Copy image read back from the clipboard, and an image
 * uploaded from a pasted link (the `screenshot-tab` shortcut, pressed for real, is
 * test/e2e/screenshotCommand.test.ts). What is real and what is simulated:
 * - real: the popup (as a tab, or the real toolbar popup over CDP), the files, drops (trusted CDP drag
 *   events), pastes (Ctrl+V), the capture (`tabs.captureVisibleTab`), the crop, the clipboard, the
 *   worker, the sandbox's request log;
 * - simulated: the `activeTab` grant a toolbar click gives (the build is given `<all_urls>` instead:
 *   test/harness/capture.ts says why).
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { axeViolations } from '../harness/axe.ts';
import { attachToToolbarPopup, buildThatMayCaptureAnyTab, uploadedScreenshot } from '../harness/capture.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { saveSettings } from '../harness/configure.ts';
import { eventually } from '../harness/eventually.ts';
import { pngFile, type TestFile } from '../harness/files.ts';
import { startImageSite, type ImageSite } from '../harness/imageSite.ts';
import { requestsFrom } from '../harness/requests.ts';
import { fillMetadata, recentUploads, uploadForm, uploadItem } from '../harness/popup.ts';

let sandbox: Sandbox;
let site: ImageSite;
let extension: Extension;
let extensionDir: string;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  site = await startImageSite();
  extensionDir = await buildThatMayCaptureAnyTab();
  extension = await launchExtension({ extensionDir, remoteDebugging: true });
  await extension.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const options = await extension.openPage('options.html');
  await saveSettings(options, { instance: sandbox.url, token: sandbox.token });
  await options.close();
});
after(async () => {
  await extension?.close();
  await site?.close();
  await sandbox?.close();
  if (extensionDir) await rm(extensionDir, { recursive: true, force: true });
});

async function dropFiles(popup: Page, files: TestFile[]): Promise<void> {
  const cdp = await popup.context().newCDPSession(popup);
  const data = { items: [], files: files.map((file) => file.path), dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await cdp.send('Input.dispatchDragEvent', { type, x: 150, y: 150, data });
  }
  await cdp.detach();
}

async function pasteImage(popup: Page, file: TestFile): Promise<void> {
  await popup.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })]);
  }, file.bytes.toString('base64'));
  await popup.locator('body').click({ position: { x: 5, y: 5 } });
  await popup.keyboard.press('Control+V');
}

/** The web page to capture, in front, its visible size in device pixels. */
async function pageToCapture(): Promise<{ page: Page; size: { width: number; height: number } }> {
  const page = await extension.context.newPage();
  await page.goto(site.pageUrl);
  await page.bringToFront();
  const size = await page.evaluate(() => ({ width: Math.round(innerWidth * devicePixelRatio), height: Math.round(innerHeight * devicePixelRatio) }));
  return { page, size };
}

const spin = (scope: Locator, name: string): Locator => scope.getByRole('spinbutton', { name, exact: true });

describe('many images at once', () => {
  test('three picked (one removed first), two dropped and one pasted: six jobs, the shared details, the right bytes, "6 of 6 uploaded"', async () => {
    const requests = requestsFrom(sandbox);
    const picked = await Promise.all(['one', 'two', 'three', 'not-this'].map((name) => pngFile(`batch-${name}.png`)));
    const dropped = await Promise.all(['four', 'five'].map((name) => pngFile(`batch-${name}.png`)));
    const pasted = await pngFile('batch-pasted.png', 'pasted', 33);
    const popup = await extension.openPage('popup.html');
    const form = uploadForm(popup);
    await form.getByLabel('Image file').setInputFiles(picked.map((file) => file.path));
    await form.getByRole('status').filter({ hasText: '4 images selected' }).waitFor();
    // Removed before uploading, by keyboard: it must never reach Glean.
    await form.getByRole('button', { name: 'Remove batch-not-this.png' }).focus();
    await popup.keyboard.press('Enter');
    await form.getByRole('img', { name: 'Preview of batch-not-this.png' }).waitFor({ state: 'detached' });
    await dropFiles(popup, dropped);
    await pasteImage(popup, pasted);
    const previews = form.getByRole('list', { name: 'Selected images' }).getByRole('img', { name: /^Preview of/ });
    await eventually('six previews', async () => ((await previews.count()) === 6 ? true : undefined));

    await fillMetadata(form, { type: 'LOGO', id: 'batch', ds: 'batchds', cid: 'batch-cid' });
    await form.getByRole('button', { name: 'Upload' }).click();
    await form.getByRole('status').filter({ hasText: '6 of 6 uploaded.' }).waitFor({ timeout: 20_000 });
    const uploads = await requests.waitFor(6, { operation: 'uploadimage' });
    assert.equal(uploads.length, 6, 'one upload per image, and nothing for the removed one');
    for (const upload of uploads) {
      assert.deepEqual(upload.query, { type: 'LOGO', id: 'batch', ds: 'batchds', cid: 'batch-cid' });
      assert.equal(upload.headers['content-type'], 'image/png');
    }
    const sent = uploads.map((upload) => upload.bodySha256).sort();
    const files = [...picked.slice(0, 3), ...dropped];
    for (const file of files) assert.ok(sent.includes(file.sha256), `${file.path} arrived byte for byte`);
    assert.ok(!sent.includes(picked[3]?.sha256), 'the removed file was not sent');
    // Chrome re-encodes a pasted image (it sanitises the clipboard): the same picture, other bytes.
    const other = uploads.find((upload) => !files.some((file) => file.sha256 === upload.bodySha256));
    assert.ok(other, 'the pasted image was uploaded');
    const jobs = await eventually('six uploaded jobs', async () => {
      const items = recentUploads(popup).getByRole('listitem');
      const uploaded = await items.filter({ hasText: 'Uploaded' }).count();
      return uploaded >= 6 ? uploaded : undefined;
    });
    assert.ok(jobs >= 6);
    await popup.close();
  });
});

describe('Screenshot this tab', () => {
  test('from the real toolbar popup: whole, cropped by keyboard, cropped by pointer; type preset to FEEDBACK', async () => {
    const { page, size } = await pageToCapture();
    const worker = await extension.worker();
    await worker.evaluate(() => chrome.action.openPopup());
    const { popup, disconnect } = await attachToToolbarPopup(extension);
    try {
      const form = uploadForm(popup);
      const capture = async (): Promise<string> => {
        await form.getByRole('button', { name: 'Screenshot this tab' }).click();
        const preview = form.getByRole('list', { name: 'Selected images' }).getByRole('img', { name: /^Preview of Screenshot of 127\.0\.0\.1 / });
        await preview.waitFor();
        assert.equal(await form.getByRole('combobox', { name: 'Type' }).inputValue(), 'FEEDBACK');
        return ((await preview.getAttribute('alt')) ?? '').replace('Preview of ', '');
      };
      const upload = async (id: string): Promise<{ width: number; height: number }> => {
        await form.getByRole('textbox', { name: 'ID', exact: true }).fill(id);
        await form.getByRole('button', { name: 'Upload' }).click();
        return uploadedScreenshot(sandbox, id);
      };

      await capture();
      assert.deepEqual(await upload('shot-whole'), size, 'the whole visible tab');

      const name = await capture();
      await form.getByRole('button', { name: `Crop ${name}` }).click();
      const crop = form.getByRole('group', { name: 'Crop screenshot' });
      // The keyboard way: the area typed in pixels.
      for (const [field, value] of [['Left', '10'], ['Top', '20'], ['Width', '200'], ['Height', '100']] as const) {
        await spin(crop, field).fill(value);
      }
      await crop.getByRole('button', { name: 'Apply crop' }).click();
      await crop.waitFor({ state: 'detached' });
      assert.deepEqual(await upload('shot-keyboard'), { width: 200, height: 100 });

      const again = await capture();
      await form.getByRole('button', { name: `Crop ${again}` }).click();
      const image = crop.getByRole('img', { name: /^Screenshot to crop/ });
      const box = await image.boundingBox();
      assert.ok(box);
      await popup.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
      await popup.mouse.down();
      await popup.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
      await popup.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 });
      await popup.mouse.up();
      const dragged = { width: Number(await spin(crop, 'Width').inputValue()), height: Number(await spin(crop, 'Height').inputValue()) };
      // The drag covered about 40 % of each side: the fields say exactly how much.
      assert.ok(Math.abs(dragged.width - size.width * 0.4) <= 2, `width ${dragged.width} of ${size.width}`);
      assert.ok(Math.abs(dragged.height - size.height * 0.4) <= 2, `height ${dragged.height} of ${size.height}`);
      await crop.getByRole('button', { name: 'Apply crop' }).click();
      await crop.waitFor({ state: 'detached' });
      assert.deepEqual(await upload('shot-pointer'), dragged);
    } finally {
      await popup.evaluate(() => window.close()).catch(() => undefined);
      await disconnect();
      await page.close();
    }
  });
});

describe('copy in the form people paste, and upload from a link', () => {
  test('Copy Markdown and Copy image put ![name](url) and the image itself on the clipboard', async () => {
    const file = await pngFile('copy-me.png', 'copy me', 120);
    const popup = await extension.openPage('popup.html');
    await popup.bringToFront();
    const form = uploadForm(popup);
    await form.getByLabel('Image file').setInputFiles(file.path);
    await fillMetadata(form, { type: 'UGC', id: 'copy-me' });
    await form.getByRole('button', { name: 'Upload' }).click();
    const item = uploadItem(popup, 'copy-me.png');
    await item.getByText('Uploaded', { exact: true }).waitFor();
    const url = (await item.getByRole('link').getAttribute('href')) ?? '';

    // By keyboard: each button focused and pressed.
    await item.getByRole('button', { name: 'Copy Markdown' }).focus();
    await popup.keyboard.press('Enter');
    await item.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await popup.evaluate(() => navigator.clipboard.readText()), `![copy-me.png](${url})`);

    await item.getByRole('button', { name: 'Copy image' }).focus();
    await popup.keyboard.press('Enter');
    await item.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await popup.evaluate(async () => {
      const [entry] = await navigator.clipboard.read();
      if (!entry?.types.includes('image/png')) return null;
      const bitmap = await createImageBitmap(await entry.getType('image/png'));
      return { width: bitmap.width, height: bitmap.height };
    });
    assert.deepEqual(copied, { width: 120, height: 120 }, 'the uploaded image, as PNG');
    await popup.close();
  });

  test('a pasted image address: offered, fetched by the worker as a right-click upload is, and uploaded', async () => {
    const requests = requestsFrom(sandbox);
    const siteRequestsBefore = site.requests.length;
    const address = new URL('/picture-web.png', site.pageUrl).href;
    const popup = await extension.openPage('popup.html');
    await popup.bringToFront();
    await popup.evaluate((text) => navigator.clipboard.writeText(text), address);
    await popup.locator('body').click({ position: { x: 5, y: 5 } });
    await popup.keyboard.press('Control+V');
    const form = uploadForm(popup);
    const offer = form.getByRole('group', { name: `Upload the image at ${address}?` });
    await offer.getByRole('button', { name: 'Get image' }).focus();
    await popup.keyboard.press('Enter');
    await form.getByRole('img', { name: 'Preview of picture-web.png' }).waitFor();
    await offer.waitFor({ state: 'detached' });
    await fillMetadata(form, { type: 'ICON', id: 'from-link' });
    await form.getByRole('button', { name: 'Upload' }).click();
    const [upload] = await requests.waitFor(1, { operation: 'uploadimage' });
    assert.equal(upload?.query.id, 'from-link');
    assert.equal(upload?.bodySha256, site.images.web.sha256, 'the image the link names, byte for byte');
    const fetched = site.requests.slice(siteRequestsBefore).filter((request) => request.path === '/picture-web.png');
    assert.equal(fetched.length, 1, 'the worker fetched it once');
    assert.equal(fetched[0]?.headers.cookie, undefined, 'without cookies');
    assert.equal(fetched[0]?.headers.authorization, undefined, 'and never with the Glean token');
    await popup.close();
  });

  test('text pasted into a field stays text there', async () => {
    const popup = await extension.openPage('popup.html');
    await popup.bringToFront();
    const address = new URL('/picture-web.png', site.pageUrl).href;
    await popup.evaluate((text) => navigator.clipboard.writeText(text), address);
    const key = popup.getByRole('textbox', { name: 'Key' });
    await key.focus();
    await popup.keyboard.press('Control+V');
    assert.equal(await key.inputValue(), address);
    assert.equal(await uploadForm(popup).getByRole('button', { name: 'Get image' }).count(), 0);
    await popup.close();
  });
});

describe('accessible', () => {
  test('axe finds nothing with images selected, the crop tool open and a link offered; the new controls are named', async () => {
    const popup = await extension.openPage('popup.html');
    const form = uploadForm(popup);
    const files = await Promise.all(['a11y-one', 'a11y-two'].map((name) => pngFile(`${name}.png`)));
    await form.getByLabel('Image file').setInputFiles(files.map((file) => file.path));
    // A screenshot of the popup's own tab (this build may capture any tab), so its Crop button shows.
    await popup.bringToFront();
    await form.getByRole('button', { name: 'Screenshot this tab' }).click();
    const shot = form.getByRole('list', { name: 'Selected images' }).getByRole('img', { name: /^Preview of Screenshot of / });
    await shot.waitFor();
    const shotName = ((await shot.getAttribute('alt')) ?? '').replace('Preview of ', '');
    await form.getByRole('button', { name: `Crop ${shotName}` }).click();
    await form.getByRole('group', { name: 'Crop screenshot' }).getByRole('button', { name: 'Apply crop' }).waitFor();
    await popup.evaluate((text) => navigator.clipboard.writeText(text), 'https://example.com/logo.png');
    await popup.locator('body').click({ position: { x: 5, y: 5 } });
    await popup.keyboard.press('Control+V');
    await form.getByRole('button', { name: 'Get image' }).waitFor();
    assert.deepEqual(await axeViolations(popup), []);
    for (const name of ['Screenshot this tab', 'Remove a11y-one.png', `Crop ${shotName}`, 'Apply crop', 'Cancel', 'Get image', 'Dismiss']) {
      const button = form.getByRole('button', { name, exact: true });
      assert.equal(await button.evaluate((element) => (element as HTMLElement).tabIndex), 0, `${name} is in the tab order`);
    }
    // Cancel by keyboard closes the crop tool; Dismiss by keyboard drops the offer.
    await form.getByRole('button', { name: 'Cancel', exact: true }).focus();
    await popup.keyboard.press('Space');
    await form.getByRole('group', { name: 'Crop screenshot' }).waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Dismiss' }).focus();
    await popup.keyboard.press('Enter');
    await form.getByRole('button', { name: 'Get image' }).waitFor({ state: 'detached' });
    await popup.close();
  });

  test('Options shows the current shortcuts and opens the browser\'s shortcut page', async () => {
    const options = await extension.openPage('options.html');
    const section = options.getByRole('region', { name: 'Keyboard shortcuts' });
    await section.getByText('Screenshot this tab and open Glean Images').waitFor();
    await section.getByText('Open Glean Images', { exact: true }).waitFor();
    // Headless Chromium assigns the suggested keys: Alt+Shift+Y and Alt+Shift+G.
    await section.getByText('Alt+Shift+Y').waitFor();
    await section.getByText('Alt+Shift+G').waitFor();
    assert.deepEqual(await axeViolations(options), []);
    const opened = extension.context.waitForEvent('page', { predicate: (page) => page.url().startsWith('chrome://extensions/shortcuts') });
    await section.getByRole('button', { name: 'Change shortcuts' }).focus();
    await options.keyboard.press('Enter');
    await (await opened).close();
    await options.close();
  });
});

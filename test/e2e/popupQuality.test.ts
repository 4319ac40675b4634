/// <reference types="chrome" />
/** The popup and options as people meet them: accessible, keyboard-only, and within the popup's size (the real toolbar popup: realPopup.test.ts). */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { axeViolations } from '../harness/axe.ts';
import { launchExtension, root, type Extension } from '../harness/chromium.ts';
import { saveSettings } from '../harness/configure.ts';
import { pngFile } from '../harness/files.ts';
import { fillMetadata, lookUpForm, uploadForm, uploadItem } from '../harness/popup.ts';

let sandbox: Sandbox;
let extension: Extension;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  extension = await launchExtension();
  const options = await extension.openPage('options.html');
  await saveSettings(options, { instance: sandbox.url, token: sandbox.token });
  await options.close();
  // One finished upload, so "Recent uploads" has an item to check (and to show in the screenshots).
  const popup = await extension.openPage('popup.html');
  await uploadForm(popup).getByLabel('Image file').setInputFiles((await pngFile('team-logo.png', 'team logo', 128)).path);
  await fillMetadata(uploadForm(popup), { type: 'LOGO', id: 'team' });
  await uploadForm(popup).getByRole('button', { name: 'Upload' }).click();
  await uploadItem(popup, 'team-logo.png').getByText('Uploaded', { exact: true }).waitFor();
  await popup.close();
});

/** The README's screenshots come from here: `UPDATE_SCREENSHOTS=1 npm test` writes them into docs/. */
const screenshotDir = join(root, process.env.UPDATE_SCREENSHOTS ? 'docs' : 'artifacts/screenshots');
after(async () => {
  await extension?.close();
  await sandbox?.close();
});

describe('popup and options quality', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`axe finds no violations in the popup and options page (${colorScheme})`, async () => {
      const popup = await extension.openPage('popup.html');
      await popup.emulateMedia({ colorScheme });
      // Show everything the popup can show: a looked-up image, a selected file and an upload.
      const file = await pngFile('axe.png');
      await uploadForm(popup).getByLabel('Image file').setInputFiles(file.path);
      await lookUpForm(popup).getByRole('textbox', { name: 'Key' }).fill(sandbox.samples[0]?.key ?? '');
      await lookUpForm(popup).getByRole('button', { name: 'Look up' }).click();
      await lookUpForm(popup).getByRole('img', { name: /^Glean image/ }).waitFor();
      assert.deepEqual(await axeViolations(popup), []);
      await mkdir(screenshotDir, { recursive: true });
      await popup.locator('main').screenshot({ path: join(screenshotDir, `popup-${colorScheme}.png`), animations: 'disabled' });

      const options = await extension.openPage('options.html');
      await options.emulateMedia({ colorScheme });
      await options.getByText('Token saved').waitFor();
      assert.deepEqual(await axeViolations(options), []);
      await Promise.all([popup.close(), options.close()]);
    });
  }

  test('a lookup can be done with the keyboard alone, Enter submitting', async () => {
    const popup = await extension.openPage('popup.html');
    const sample = sandbox.samples.find((s) => s.metadata.type === 'LOGO' && s.metadata.id === 'sample');
    assert.ok(sample);
    await popup.getByRole('textbox', { name: 'Key' }).and(popup.locator(':focus')).waitFor();
    await popup.keyboard.press('Tab'); // Type
    await popup.keyboard.type('LOGO'); // selects by typing, as people do in a closed select
    await popup.keyboard.press('Tab'); // ID
    await popup.keyboard.type('sample');
    await popup.keyboard.press('Enter');
    await lookUpForm(popup).getByRole('img', { name: /^Glean image/ }).waitFor();
    const focusRing = await popup.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    assert.notEqual(focusRing, 'none', 'the focused field shows a focus ring');
    await popup.close();
  });

  test('the popup fits within the browser’s 800×600 popup limit', async () => {
    const popup = await extension.openPage('popup.html');
    // At its fullest: a looked-up image, a selected file with its preview, and a finished upload.
    await uploadForm(popup).getByLabel('Image file').setInputFiles((await pngFile('tall.png', 'tall', 400)).path);
    await lookUpForm(popup).getByRole('textbox', { name: 'Key' }).fill(sandbox.samples[0]?.key ?? '');
    await lookUpForm(popup).getByRole('button', { name: 'Look up' }).click();
    await lookUpForm(popup).getByRole('img', { name: /^Glean image/ }).waitFor();
    await uploadItem(popup, 'team-logo.png').waitFor();
    const size = await popup.locator('main').evaluate((main) => ({ width: main.scrollWidth, height: main.scrollHeight }));
    assert.ok(size.width <= 800, `width ${size.width}`);
    assert.ok(size.height <= 600, `height ${size.height}`);
    await popup.close();
  });
});

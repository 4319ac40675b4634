/// <reference types="chrome" />
/**
 * The `screenshot-tab` keyboard command end to end in Chromium, as a person uses it: a headed browser on
 * an Xvfb display of its own, the page in front, and its shortcut (Alt+Shift+Y, the manifest's suggested
 * key) typed on the display with xdotool. Nothing is simulated: the build is the plain dev build (no
 * `<all_urls>`), so the capture runs only on the `activeTab` grant the shortcut itself gives; the popup is
 * the real toolbar popup, reached over CDP.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { attachToToolbarPopup, uploadedScreenshot } from '../harness/capture.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { saveSettings } from '../harness/configure.ts';
import { eventually } from '../harness/eventually.ts';
import { startImageSite, type ImageSite } from '../harness/imageSite.ts';
import { uploadForm } from '../harness/popup.ts';
import { startXvfb, type Display } from '../harness/xvfb.ts';

let display: Display;
let sandbox: Sandbox;
let site: ImageSite;
let extension: Extension;

before(async () => {
  [display, sandbox, site] = await Promise.all([startXvfb(), startSandbox({ port: 0 }), startImageSite()]);
  extension = await launchExtension({ headless: false, remoteDebugging: true, env: { DISPLAY: display.name } });
  const options = await extension.openPage('options.html');
  await saveSettings(options, { instance: sandbox.url, token: sandbox.token });
  await options.close();
});
after(async () => {
  await extension?.close();
  await Promise.all([sandbox?.close(), site?.close()]);
  await display?.stop();
});

/** The shortcut Chrome assigned to the command (the suggested key, unless it clashed with another). */
async function shortcutOf(command: string): Promise<string> {
  const worker = await extension.worker();
  const commands = await worker.evaluate(() => chrome.commands.getAll());
  const shortcut = commands.find((c) => c.name === command)?.shortcut;
  assert.ok(shortcut, `Chrome gave ${command} a shortcut`);
  return shortcut;
}

/** The page, in front, in the window that has the keyboard (the one a shortcut goes to). */
async function pageInFront(): Promise<Page> {
  const page = await extension.context.newPage();
  await page.goto(site.pageUrl);
  await page.bringToFront();
  await page.locator('body').click();
  const worker = await extension.worker();
  await eventually('the page’s window to have the focus', () =>
    worker.evaluate(async (url) => {
      const [tab] = await chrome.tabs.query({ url, active: true });
      return tab && (await chrome.windows.get(tab.windowId)).focused ? true : undefined;
    }, site.pageUrl),
  );
  return page;
}

test('pressing the screenshot-tab shortcut captures the tab and opens the toolbar popup with the capture selected', async () => {
  const shortcut = await shortcutOf('screenshot-tab');
  assert.equal(shortcut, 'Alt+Shift+Y');
  const page = await pageInFront();
  const size = await page.evaluate(() => ({ width: Math.round(innerWidth * devicePixelRatio), height: Math.round(innerHeight * devicePixelRatio) }));
  await display.key('alt+shift+y');
  const { popup, disconnect } = await attachToToolbarPopup(extension);
  try {
    const worker = await extension.worker();
    // The toolbar popup, not the stand-in window openPopup.ts falls back to.
    assert.deepEqual(await worker.evaluate(() => chrome.windows.getAll({ windowTypes: ['popup'] })), []);
    const form = uploadForm(popup);
    await form.getByRole('img', { name: /^Preview of Screenshot of 127\.0\.0\.1 / }).waitFor();
    assert.equal(await form.getByRole('combobox', { name: 'Type' }).inputValue(), 'FEEDBACK');
    await form.getByRole('textbox', { name: 'ID', exact: true }).fill('shot-shortcut');
    await form.getByRole('button', { name: 'Upload' }).click();
    assert.deepEqual(await uploadedScreenshot(sandbox, 'shot-shortcut'), size);
  } finally {
    await popup.evaluate(() => window.close()).catch(() => undefined);
    await disconnect();
    await page.close();
  }
});

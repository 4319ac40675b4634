/// <reference types="chrome" />
/**
 * The popup as people see it: the real toolbar popup, sized by the browser (not a tab with an
 * 800×600 viewport), opened with `action.openPopup()` and reached over CDP, where Playwright's
 * persistent context does not list it (test/harness/chromium.ts, `remoteDebugging`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually } from '../harness/eventually.ts';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { axeViolations } from '../harness/axe.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { saveSettings } from '../harness/configure.ts';
import { pngFile } from '../harness/files.ts';
import { fillMetadata, lookUpForm, recentUploads, uploadForm, uploadItem } from '../harness/popup.ts';

let sandbox: Sandbox;
let extension: Extension;
/** An ordinary web page in a window of its own: the toolbar popup opens over the active tab. */
let webPage: Page;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  extension = await launchExtension({ remoteDebugging: true });
  const options = await extension.openPage('options.html');
  await saveSettings(options, { instance: sandbox.url, token: sandbox.token });
  await options.close();
  webPage = await extension.context.newPage();
  await webPage.goto(`${sandbox.url}/_sandbox/requests`);
});
after(async () => {
  await extension?.close();
  await sandbox?.close();
});

/**
 * Opens the real toolbar popup over the web page and finds it over a CDP connection made after it
 * opened (a connection made before does not list it); closing the connection closes nothing else.
 */
async function openToolbarPopup(): Promise<{ popup: Page; cdp: Browser }> {
  const popupUrl = `chrome-extension://${extension.id}/popup.html`;
  await webPage.bringToFront();
  await (await extension.worker()).evaluate(() => chrome.action.openPopup());
  const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${extension.debuggingPort}`);
  const popup = await eventually('the toolbar popup', () =>
    cdp
      .contexts()
      .flatMap((context) => context.pages())
      .find((page) => page.url() === popupUrl && !page.isClosed()),
  );
  await lookUpForm(popup).waitFor();
  return { popup, cdp };
}

/** What the browser gave the popup and what its content needs, in CSS pixels. */
const widths = (popup: Page) =>
  popup.evaluate(() => ({ innerWidth, innerHeight, scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth }));

describe('the real toolbar popup (Chromium)', () => {
  for (const [colorScheme, type] of [['light', 'ICON'], ['dark', 'HEADER']] as const) {
    test(`fits what the browser gives it, and looks up, uploads and lists uploads (${colorScheme})`, async (t) => {
      const { popup, cdp } = await openToolbarPopup();
      try {
        await popup.emulateMedia({ colorScheme });
        const empty = await widths(popup);
        t.diagnostic(`empty: ${JSON.stringify(empty)}`);
        assert.ok(empty.scrollWidth <= empty.innerWidth, `content ${empty.scrollWidth} px in a ${empty.innerWidth} px popup`);
        assert.ok(empty.innerWidth >= 600 && empty.innerWidth <= 800, `the popup is ${empty.innerWidth} px wide`);
        assert.ok(empty.innerHeight <= 600);

        // Look up.
        const lookUp = lookUpForm(popup);
        await fillMetadata(lookUp, { type, id: 'sample' });
        await lookUp.getByRole('button', { name: 'Look up' }).click();
        // The name lists the values in the order they were first entered (a restored draft may differ).
        await lookUp.getByRole('img', { name: new RegExp(`^Glean image (${type} sample|sample ${type})$`) }).waitFor();
        await lookUp.getByRole('status').filter({ hasText: 'from Glean' }).waitFor();

        // Upload a picked file; it shows in "Recent uploads" as uploaded, with its link.
        const name = `real-popup-${colorScheme}.png`;
        const upload = uploadForm(popup);
        await upload.getByLabel('Image file').setInputFiles((await pngFile(name, `real popup ${colorScheme}`, 64)).path);
        await fillMetadata(upload, { type: 'LOGO', id: `real-popup-${colorScheme}` });
        await upload.getByRole('button', { name: 'Upload' }).click();
        const item = uploadItem(popup, name);
        await item.getByText('Uploaded', { exact: true }).waitFor();
        const [sent] = await sandbox.waitForRequests(1, { operation: 'uploadimage' }).then((all) => all.filter((r) => r.query.id === `real-popup-${colorScheme}`));
        assert.ok(sent, 'the sandbox got this upload');
        assert.match((await item.getByRole('link').first().getAttribute('href')) ?? '', /\/rest\/api\/v1\/images\?key=/);
        assert.ok((await recentUploads(popup).getByRole('listitem').count()) >= 1);

        // At its fullest it still fits, and axe finds nothing.
        const full = await widths(popup);
        t.diagnostic(`full: ${JSON.stringify(full)}`);
        assert.ok(full.scrollWidth <= full.innerWidth, `content ${full.scrollWidth} px in a ${full.innerWidth} px popup`);
        assert.ok(full.bodyScrollWidth <= full.innerWidth);
        assert.deepEqual(await axeViolations(popup), []);
      } finally {
        await popup.close();
        await cdp.close();
      }
    });
  }
});

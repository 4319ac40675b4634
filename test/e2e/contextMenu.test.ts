/// <reference types="chrome" />
/**
 * Right-click uploads: "Upload image to Glean" on web, data: and blob: images and on images only the
 * page can read; "Upload image to Glean…" through the upload form; refusals that say why; the
 * notifications, the badge, and one click on the real native menu. The browser runs headed on an
 * Xvfb display of its own, which the native menu needs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page, Worker } from 'playwright-core';
import type { ImageMetadata } from '../../src/shared/imageMetadata.ts';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox/server.ts';
import { eventually } from '../harness/eventually.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { saveSettings } from '../harness/configure.ts';
import { LOGIN_COOKIE, startImageSite, type ImageSite, type SiteRequest } from '../harness/imageSite.ts';
import { fillMetadata, uploadForm, uploadItem } from '../harness/popup.ts';
import { startXvfb, type Display } from '../harness/xvfb.ts';

/** The menu items' ids (src/worker/contextMenu/menuItems.ts). */
const UPLOAD_ITEM = 'upload-image';
const UPLOAD_WITH_DETAILS_ITEM = 'upload-image-with-details';

interface SeenNotification {
  id: string;
  title: string;
  message: string;
}

let display: Display;
let sandbox: Sandbox;
let site: ImageSite;
let extension: Extension;
let settingsPage: Page;
let sitePage: Page;

before(async () => {
  [display, sandbox, site] = await Promise.all([startXvfb(), startSandbox({ port: 0 }), startImageSite()]);
  extension = await launchExtension({ headless: false, env: { DISPLAY: display.name } });
  // The site's login: the page's own image loads send it; the worker's fetches never may.
  await extension.context.addCookies([{ ...LOGIN_COOKIE, url: site.pageUrl }]);
  settingsPage = await extension.openPage('options.html');
  sitePage = await extension.context.newPage();
  await sitePage.goto(site.pageUrl);
  await sitePage.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
  await watchNotifications(await extension.worker());
});
after(async () => {
  await extension?.close();
  await Promise.all([sandbox?.close(), site?.close()]);
  await display?.stop();
});

const useDefaults = (defaults: ImageMetadata) => saveSettings(settingsPage, { instance: sandbox.url, token: sandbox.token, defaults });

/** Records what each notification says (`notifications.getAll` gives only ids). Test-only: wraps the API in the worker. */
async function watchNotifications(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const seen: SeenNotification[] = [];
    const scope = globalThis as unknown as { seenNotifications: SeenNotification[] };
    scope.seenNotifications = seen;
    const api = chrome.notifications as unknown as { create: (id: string, options: { title: string; message: string }, ...rest: unknown[]) => unknown };
    const create = api.create.bind(api);
    api.create = (id, options, ...rest) => {
      seen.push({ id, title: options.title, message: options.message });
      return create(id, options, ...rest);
    };
  });
}

async function notifications(): Promise<SeenNotification[]> {
  const worker = await extension.worker();
  return worker.evaluate(() => (globalThis as unknown as { seenNotifications: SeenNotification[] }).seenNotifications);
}

/** The next notification after those already seen, once it exists in the browser too. */
async function nextNotification(before: number): Promise<SeenNotification> {
  const shown = await eventually('a notification', async () => (await notifications())[before]);
  const worker = await extension.worker();
  await eventually('the notification in the browser', async () => ((await worker.evaluate(() => chrome.notifications.getAll()))[shown.id] ? true : undefined));
  return shown;
}

/**
 * Runs the worker's real registered `contextMenus.onClicked` listener with what a click on this image
 * would deliver (an undocumented `dispatch` of the registered listener).
 */
async function clickMenuItem(menuItemId: string, image: string | { srcUrl: string }): Promise<void> {
  const srcUrl = typeof image === 'string' ? await sitePage.locator(`#${image}`).evaluate((img: HTMLImageElement) => img.currentSrc) : image.srcUrl;
  const worker = await extension.worker();
  await worker.evaluate(
    async ({ menuItemId, srcUrl, pageUrl }) => {
      const tab = (await chrome.tabs.query({})).find((t) => t.url === pageUrl);
      const info = { menuItemId, srcUrl, pageUrl, mediaType: 'image', frameId: 0, editable: false };
      (chrome.contextMenus.onClicked as unknown as { dispatch(info: object, tab: object | undefined): void }).dispatch(info, tab);
    },
    { menuItemId, srcUrl, pageUrl: site.pageUrl },
  );
}

const uploadWithId = (id: string) => () => sandbox.requests.find((r: RecordedRequest) => r.operation === 'uploadimage' && r.query.id === id);

/**
 * Chromium marks a request that no page started `Sec-Fetch-Site: none`: the worker's fetches, and
 * typed-in navigations, which `Sec-Fetch-Dest: empty` tells apart. The page's own image loads are
 * `same-origin` and carry its cookie, as they should.
 */
const isWorkerFetch = (request: SiteRequest): boolean =>
  request.headers['sec-fetch-site'] === 'none' && request.headers['sec-fetch-dest'] === 'empty';

/** The worker's own requests to the image site carry no cookie and no Authorization; nothing there ever does. */
function assertNoCredentialsSent(): void {
  for (const request of site.requests) assert.equal(request.headers.authorization, undefined, `no Authorization on ${request.path}`);
  const fromWorker = site.requests.filter(isWorkerFetch);
  for (const request of fromWorker) assert.equal(request.headers.cookie, undefined, `no cookie on the worker's fetch of ${request.path}`);
}

describe('right-click uploads', () => {
  test('both items exist (updating an item rejects when it does not)', async () => {
    const worker = await extension.worker();
    /** What updating each id answers: "ok", or the browser's error. */
    const update = (ids: string[]) =>
      worker.evaluate(
        (ids) => Promise.all(ids.map((id) => chrome.contextMenus.update(id, {}).then(() => 'ok', (error: Error) => error.message))),
        ids,
      );
    assert.deepEqual(await update([UPLOAD_ITEM, UPLOAD_WITH_DETAILS_ITEM]), ['ok', 'ok']);
    // The same check on an id that was never created fails: this test can fail.
    const [missing] = await update(['no-such-item']);
    assert.notEqual(missing, 'ok');
  });

  const kinds = [
    { image: 'web', fileName: 'picture-web.png' },
    { image: 'data', fileName: 'Image from 127.0.0.1' },
    { image: 'blob', fileName: 'Image from 127.0.0.1' },
  ] as const;
  for (const { image, fileName } of kinds) {
    test(`a ${image} image uploads with the right-click defaults, byte for byte, and says so`, async () => {
      const defaults = { type: 'UGC', id: `menu-${image}`, ds: 'intranet', cid: `content-${image}` } as const;
      await useDefaults(defaults);
      const seen = (await notifications()).length;
      await clickMenuItem(UPLOAD_ITEM, image);

      const request = await eventually('the upload at Glean', uploadWithId(defaults.id));
      assert.deepEqual(request.query, defaults);
      assert.equal(request.headers['content-type'], 'image/png');
      assert.equal(request.bodySha256, site.images[image].sha256);

      const shown = await nextNotification(seen);
      assert.equal(shown.title, 'Uploaded to Glean');
      assert.match(shown.message, new RegExp(`^${fileName}`));

      if (image === 'web') assert.ok(site.requests.some((r) => r.path === '/picture-web.png' && isWorkerFetch(r)), 'the worker fetched it');
      const popup = await extension.openPage('popup.html');
      // Data and blob images share a file name: this test's job is the one linking to the URL Glean gave.
      assert.ok(request.uploadedUrl, 'Glean took it');
      await uploadItem(popup, fileName).filter({ has: popup.getByRole('link', { name: request.uploadedUrl, exact: true }) }).getByText('Uploaded', { exact: true }).waitFor();
      await popup.close();
      assertNoCredentialsSent();
    });
  }

  test('an image that is no longer fetchable (a revoked blob: URL) uploads as the page shows it', async () => {
    await useDefaults({ type: 'UGC', id: 'menu-revoked' });
    await clickMenuItem(UPLOAD_ITEM, 'revoked');
    const request = await eventually('the upload at Glean', uploadWithId('menu-revoked'));
    assert.equal(request.headers['content-type'], 'image/png');
    assert.ok(request.bodyBytes > 0);
  });

  test('an image behind the site’s login, which the worker cannot fetch without cookies, uploads as the page shows it', async () => {
    await useDefaults({ type: 'UGC', id: 'menu-members' });
    await clickMenuItem(UPLOAD_ITEM, 'members-only');
    const request = await eventually('the upload at Glean', uploadWithId('menu-members'));
    assert.equal(request.headers['content-type'], 'image/png');
    assert.ok(site.requests.some((r) => r.path === '/members-only.png' && isWorkerFetch(r)), 'the worker tried first');
    assertNoCredentialsSent();
  });

  test('clicking the “Uploaded” notification opens the image’s URL', async () => {
    await useDefaults({ type: 'LOGO', id: 'menu-open' });
    const seen = (await notifications()).length;
    await clickMenuItem(UPLOAD_ITEM, 'web');
    const shown = await nextNotification(seen);
    const opened = extension.context.waitForEvent('page');
    const worker = await extension.worker();
    await worker.evaluate((id) => (chrome.notifications.onClicked as unknown as { dispatch(id: string): void }).dispatch(id), shown.id);
    const tab = await opened;
    await tab.waitForURL(/\?key=/);
    assert.ok(tab.url().startsWith(sandbox.url), `opened ${tab.url()}`);
    await tab.close();
  });

  test('without a default Type nothing is uploaded, and the notification points to Options', async () => {
    await useDefaults({ id: 'menu-no-type' });
    const seen = (await notifications()).length;
    await clickMenuItem(UPLOAD_ITEM, 'web');
    const shown = await nextNotification(seen);
    assert.equal(shown.title, 'Image not uploaded');
    assert.match(shown.message, /Right-click uploads/);
    assert.match(shown.message, /Upload image to Glean…/);
    assert.equal(uploadWithId('menu-no-type')(), undefined);
  });

  const refusals = [
    { what: 'a file on the computer', image: { srcUrl: 'file:///home/someone/photo.png' }, message: /file on your computer/ },
    { what: 'an image from a site it may not read', image: 'elsewhere', message: /not allowed to read images from 127\.0\.0\.2/ },
    { what: 'an HTML page at an image’s address', image: 'not-an-image', message: /not an image/ },
  ];
  for (const { what, image, message } of refusals) {
    test(`${what} is not uploaded, and the notification says why`, async () => {
      await useDefaults({ type: 'UGC', id: 'menu-refused' });
      const seen = (await notifications()).length;
      await clickMenuItem(UPLOAD_ITEM, image);
      const shown = await nextNotification(seen);
      assert.equal(shown.title, 'Image not uploaded');
      assert.match(shown.message, message);
      assert.equal(uploadWithId('menu-refused')(), undefined);
      assertNoCredentialsSent();
    });
  }

  test('“Upload image to Glean…” opens the upload form with the image selected', async () => {
    await clickMenuItem(UPLOAD_WITH_DETAILS_ITEM, 'web');
    const popup = await extension.openPage('popup.html');
    const form = uploadForm(popup);
    await form.getByRole('img', { name: 'Preview of picture-web.png' }).waitFor();
    await fillMetadata(form, { type: 'HEADER', id: 'menu-details' });
    await form.getByRole('button', { name: 'Upload' }).click();
    const request = await eventually('the upload at Glean', uploadWithId('menu-details'));
    assert.equal(request.bodySha256, site.images.web.sha256);
    // Uploaded, it is no longer waiting for the form.
    const reopened = await extension.openPage('popup.html');
    // The web image's right-click upload has the same file name: this is the job linking to the URL Glean gave.
    assert.ok(request.uploadedUrl, 'Glean took it');
    await uploadItem(reopened, 'picture-web.png').filter({ has: reopened.getByRole('link', { name: request.uploadedUrl, exact: true }) }).getByText('Uploaded', { exact: true }).waitFor();
    assert.equal(await uploadForm(reopened).getByRole('img', { name: /^Preview of/ }).count(), 0);
    await Promise.all([popup.close(), reopened.close()]);
  });

  test('the badge counts failed uploads until they are dealt with', async () => {
    const worker = await extension.worker();
    const badgeSays = (text: string) =>
      eventually(`the badge to say “${text}”`, async () => ((await worker.evaluate(() => chrome.action.getBadgeText({}))) === text ? true : undefined));
    await badgeSays(''); // Earlier tests' uploads may still be finishing.
    await useDefaults({ type: 'UGC', id: 'menu-fails' });
    sandbox.fault({ status: 400, operation: 'uploadimage' });
    const seen = (await notifications()).length;
    await clickMenuItem(UPLOAD_ITEM, 'web');
    const shown = await nextNotification(seen);
    assert.equal(shown.title, 'Upload to Glean failed');
    assert.match(shown.message, /invalid \(400\)/);
    await badgeSays('1');

    const popup = await extension.openPage('popup.html');
    await uploadItem(popup, 'picture-web.png').filter({ hasText: 'Failed' }).getByRole('button', { name: 'Remove' }).click();
    await badgeSays('');
    await popup.close();
  });

  test('the real native menu: right-click, then “Upload image to Glean”', async () => {
    await useDefaults({ type: 'ICON', id: 'menu-native' });
    // Earlier tests' notifications would time out over the menu and close it (see display.withoutPopups).
    const worker = await extension.worker();
    await worker.evaluate(async () => {
      for (const id of Object.keys(await chrome.notifications.getAll())) await chrome.notifications.clear(id);
    });
    await display.withoutPopups();
    await sitePage.bringToFront();
    // Each key waits for its menu to show: keys pressed before it would go to the page.
    await display.opening(() => sitePage.locator('#web').click({ button: 'right' }));
    // With two items, Chrome groups them under one named after the extension, just above "Inspect";
    // Right opens that group on its first item.
    await display.opening(() => display.key('Up', 'Up', 'Right'));
    await display.key('Return');
    const request = await eventually('the upload at Glean', uploadWithId('menu-native'));
    assert.equal(request.query.type, 'ICON');
    assert.equal(request.bodySha256, site.images.web.sha256);
    assertNoCredentialsSent();
  });
});

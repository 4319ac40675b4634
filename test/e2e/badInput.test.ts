/// <reference types="chrome" />
/**
 * Bad input, one table: files, metadata, settings, right-click sources and requests forged straight
 * to the worker. Each row says what the person is told, and that nothing reached Glean (the sandbox's
 * request count is unchanged). Three rows are not refusals and say so: a Unicode id is taken and must
 * arrive exactly; an SVG that carries a script is an image Glean takes, and must only ever be shown as
 * an image (its script never runs); a PNG that declares 50,000 × 50,000 pixels, sent straight to the
 * worker, is Glean's to judge, and must not take the worker down.
 *
 * A file that starts like an image but cannot be drawn (a corrupt PNG, a decompression bomb) is
 * refused in the popup, where the person sees its preview fail: uploading it would store an image
 * nobody can look at, since Glean shows images in a browser too. The worker never decodes an upload,
 * so it cannot tell; it passes such bytes on, and its thumbnail code reads the declared size and
 * leaves a bomb alone (the last row).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { PNG_SIGNATURE, pngChunk, pngHeader } from '../../sandbox/png.ts';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox/server.ts';
import { t } from '../../src/shared/i18n.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../src/shared/imageSniff.ts';
import { MAX_FIELD_LENGTH } from '../../src/shared/metadataCheck.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { readLocalStorage, saveSettings } from '../harness/configure.ts';
import { eventually } from '../harness/eventually.ts';
import { pngFile, testFile } from '../harness/files.ts';
import { connectionForm, openOptions } from '../harness/options.ts';
import { fillMetadata, lookUpForm, uploadForm, uploadItem } from '../harness/popup.ts';

const MENU_DEFAULTS = { type: 'UGC', id: 'menu-bad-input' } as const;

let sandbox: Sandbox;
let extension: Extension;
let probe: SvgProbe;
const pages: Page[] = [];

before(async () => {
  [sandbox, probe] = await Promise.all([startSandbox({ port: 0 }), startSvgProbe()]);
  extension = await launchExtension();
  const options = await extension.openPage('options.html');
  await saveSettings(options, { instance: sandbox.url, token: sandbox.token, defaults: MENU_DEFAULTS });
  await options.close();
  await watchNotifications();
});
after(async () => {
  await extension?.close();
  await Promise.all([sandbox?.close(), probe?.close()]);
});
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

async function open(path: string): Promise<Page> {
  const page = await extension.openPage(path);
  pages.push(page);
  return page;
}

/** A valid PNG header declaring `width` × `height` 8-bit RGB pixels, and no pixel data at all. */
const declaredPng = (width: number, height: number): Buffer =>
  Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', pngHeader(width, height)), pngChunk('IEND', Buffer.alloc(0))]);

/** The PNG signature, then bytes that are no PNG at all. */
const corruptPng = (): Buffer => Buffer.concat([PNG_SIGNATURE, Buffer.from('this is not the rest of a PNG file. '.repeat(40))]);

// --- The places a person meets a refusal ---------------------------------------------------------

/** The upload form's alert once it says something. */
async function alertOf(scope: Locator): Promise<string> {
  const alert = scope.getByRole('alert').filter({ hasText: /\S/ });
  await alert.waitFor();
  return alert.innerText();
}

/** Picks `bytes` as a file in a fresh popup; answers the alert. Upload then still sends nothing. */
async function pickFile(name: string, bytes: Buffer): Promise<string> {
  const file = await testFile(name, bytes);
  const popup = await open('popup.html');
  const form = uploadForm(popup);
  await form.getByLabel('Image file').setInputFiles(file.path);
  const said = await alertOf(form);
  await fillMetadata(form, { type: 'UGC', id: 'refused' });
  await form.getByRole('button', { name: 'Upload' }).click();
  await form.getByRole('alert').filter({ hasText: t('popupChooseFileFirst') }).waitFor();
  return said;
}

/** Picks a good PNG and gives it this ID; answers the alert after Upload. */
async function uploadWithId(id: string): Promise<string> {
  const file = await pngFile(`id-${Date.now()}.png`);
  const popup = await open('popup.html');
  const form = uploadForm(popup);
  await form.getByLabel('Image file').setInputFiles(file.path);
  await fillMetadata(form, { type: 'UGC', id });
  await form.getByRole('button', { name: 'Upload' }).click();
  return alertOf(form);
}

/** Types into one Options field and saves; answers the alert, and checks that nothing was saved. */
async function saveOption(field: 'Glean instance' | 'Act as', value: string): Promise<string> {
  const before = await readLocalStorage(extension);
  const page = await openOptions(extension);
  pages.push(page);
  await connectionForm(page).getByRole('textbox', { name: field }).fill(value);
  await connectionForm(page).getByLabel('API token').fill('a-new-token-1234');
  await connectionForm(page).getByRole('button', { name: 'Save' }).click();
  const said = await alertOf(connectionForm(page));
  assert.deepEqual(await readLocalStorage(extension), before, 'nothing was saved');
  return said;
}

/** Sends a request as a page could forge it, bytes already in the upload store; answers the error. */
async function forgeUploadStart(payload: { jobId: string; metadata: Record<string, string>; fileName: string }, bytes: Buffer): Promise<string> {
  const popup = await open('popup.html');
  const reply = await popup.evaluate(
    async ({ payload, base64 }) => {
      const blob = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/png' });
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('glean-images-upload-blobs');
        request.onupgradeneeded = () => request.result.createObjectStore('blobs');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          // As src/shared/uploadStore.ts writeBlob stores it: dated, so the worker's sweep of orphaned bytes spares it.
          const put = request.result.transaction('blobs', 'readwrite').objectStore('blobs').put({ blob, writtenAt: Date.now() }, payload.jobId);
          put.onsuccess = () => resolve();
          put.onerror = () => reject(put.error);
        };
      });
      return chrome.runtime.sendMessage({ type: 'upload/start', payload });
    },
    { payload, base64: bytes.toString('base64') },
  );
  assert.equal(reply?.ok, false, `the worker took it: ${JSON.stringify(reply)}`);
  return String(reply.error.message);
}

interface SeenNotification {
  title: string;
  message: string;
}

/** Records what each notification says, in the worker (notifications are no page to look at). */
async function watchNotifications(): Promise<void> {
  const worker = await extension.worker();
  await worker.evaluate(() => {
    const scope = globalThis as unknown as { seenNotifications: SeenNotification[] };
    scope.seenNotifications = [];
    const api = chrome.notifications as unknown as { create: (id: string, options: SeenNotification) => Promise<string> };
    const create = api.create.bind(api);
    api.create = (id, options) => {
      scope.seenNotifications.push({ title: options.title, message: options.message });
      return create(id, options);
    };
  });
}

/** Runs the worker's real context-menu listener for an image at `srcUrl` (see contextMenu.test.ts); answers the notification. */
async function rightClick(srcUrl: string, expectTitle = t('notifyNotUploadedTitle')): Promise<string> {
  const worker = await extension.worker();
  const seen = await worker.evaluate(() => (globalThis as unknown as { seenNotifications: unknown[] }).seenNotifications.length);
  await worker.evaluate((srcUrl) => {
    const info = { menuItemId: 'upload-image', srcUrl, pageUrl: 'https://example.com/page', mediaType: 'image', frameId: 0, editable: false };
    (chrome.contextMenus.onClicked as unknown as { dispatch(info: object, tab: object | undefined): void }).dispatch(info, undefined);
  }, srcUrl);
  const shown = await eventually('a notification', async () =>
    (await worker.evaluate(() => (globalThis as unknown as { seenNotifications: SeenNotification[] }).seenNotifications))[seen],
  );
  assert.equal(shown.title, expectTitle);
  return shown.message;
}

// --- An SVG whose script would tell on itself ------------------------------------------------------

interface SvgProbe {
  /** Where the SVG's script reports, with the address it ran at. */
  url: string;
  /** The addresses the script ran at, so far. */
  ranAt: string[];
  svg(): Buffer;
  close(): Promise<void>;
}

/**
 * Serves an SVG whose script and onload handler each send a beacon here with the address they ran
 * at. Opened as a document (the control) they run; shown as an image they never may.
 */
async function startSvgProbe(): Promise<SvgProbe> {
  const ranAt: string[] = [];
  let url = '';
  // XML: `&` is `&amp;` in an attribute; the script is CDATA, so it is written as is.
  const svg = (): Buffer =>
    Buffer.from(`<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"
     onload="navigator.sendBeacon('${url}/ran?how=onload&amp;at=' + encodeURIComponent(location.href))">
  <rect width="64" height="64" fill="#2a6"/>
  <script><![CDATA[navigator.sendBeacon('${url}/ran?how=script&at=' + encodeURIComponent(location.href));]]></script>
</svg>
`);
  const server: Server = createServer((request, response) => {
    const address = new URL(request.url ?? '/', url);
    if (address.pathname === '/ran') ranAt.push(`${address.searchParams.get('how')} ${address.searchParams.get('at')}`);
    if (address.pathname === '/probe.svg') {
      response.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' });
      response.end(svg());
      return;
    }
    response.writeHead(204);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ranAt,
    svg,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// --- The table -----------------------------------------------------------------------------------

interface BadInputRow {
  name: string;
  /** Does it as a person (or a forged request) would; answers what the person is told. */
  attempt: () => Promise<string>;
  /** The message, exactly, or a pattern for one that holds a variable part. */
  says: string | RegExp;
  /** Requests that reach Glean: none for a refusal. */
  sends?: number;
  /** More checks, for the rows that are taken. */
  then?: (sent: RecordedRequest[]) => Promise<void>;
}

const tooLong = 'x'.repeat(MAX_FIELD_LENGTH + 1);
const unicodeId = 'Zürich-café-日本語-🖼️-ĳ-\u00a0nbsp';
const overLimit = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(DEFAULT_MAX_UPLOAD_BYTES + 1024 * 1024)]);

const ROWS: BadInputRow[] = [
  // Files picked in the popup.
  { name: 'text bytes with an image name (not-an-image.png)', attempt: () => pickFile('not-an-image.png', Buffer.from('hello, I am text')), says: 'That file is not an image Glean can take (PNG, JPEG, GIF, WebP, BMP, ICO, AVIF or SVG), whatever its name says.' },
  { name: 'an empty file', attempt: () => pickFile('empty.png', Buffer.alloc(0)), says: 'That file is empty. Choose the image file again.' },
  {
    name: `a file over the ${DEFAULT_MAX_UPLOAD_BYTES / 1024 / 1024} MB limit`,
    attempt: () => pickFile('huge.png', overLimit),
    says: 'That file is 21.1 MB; the limit is 20 MB. Choose a smaller image.',
  },
  { name: 'a corrupt PNG (the signature, then garbage)', attempt: () => pickFile('corrupt.png', corruptPng()), says: 'That file starts like an image (image/png), but the browser cannot show it: it is damaged, or has more pixels than a browser will draw. Choose another image.' },
  {
    name: 'a PNG declaring 50,000 × 50,000 pixels (a decompression bomb)',
    attempt: () => pickFile('bomb.png', declaredPng(50_000, 50_000)),
    says: 'That file starts like an image (image/png), but the browser cannot show it: it is damaged, or has more pixels than a browser will draw. Choose another image.',
  },
  // Metadata typed in the popup.
  { name: `an ID longer than ${MAX_FIELD_LENGTH} characters`, attempt: () => uploadWithId(tooLong), says: 'ID is 257 characters long; the limit is 256.' },
  { name: 'control characters in an ID (a terminal colour code)', attempt: () => uploadWithId('photo-\u001b[31m-red'), says: 'ID contains invisible control characters. Type it again.' },
  {
    name: 'a Unicode ID (taken, and sent percent-encoded: Glean sees it exactly)',
    attempt: async () => {
      const file = await pngFile('unicode-id.png');
      const popup = await open('popup.html');
      const form = uploadForm(popup);
      await form.getByLabel('Image file').setInputFiles(file.path);
      await fillMetadata(form, { type: 'UGC', id: unicodeId, ds: 'wiki-ü' });
      await form.getByRole('button', { name: 'Upload' }).click();
      await uploadItem(popup, 'unicode-id.png').getByText('Uploaded', { exact: true }).waitFor();
      return t('jobStateUploaded');
    },
    says: 'Uploaded',
    sends: 1,
    then: async ([sent]) => {
      assert.deepEqual(sent?.query, { type: 'UGC', id: unicodeId, ds: 'wiki-ü' });
      assert.equal(sent?.status, 200);
    },
  },
  // Requests forged straight to the worker, which never trusts a page's checks.
  {
    name: 'a Type that is not an image type, sent straight to the worker',
    attempt: () => forgeUploadStart({ jobId: crypto.randomUUID(), metadata: { type: 'EVIL', id: 'x' }, fileName: 'x.png' }, declaredPng(8, 8)),
    says: '“EVIL” is not an image type. Choose one from the Type list.',
  },
  {
    name: 'a job id that is no id (a path), sent straight to the worker',
    attempt: () => forgeUploadStart({ jobId: '../../etc/passwd', metadata: { type: 'UGC', id: 'x' }, fileName: 'x.png' }, declaredPng(8, 8)),
    says: 'That upload has no valid id. Try again.',
  },
  // Settings.
  { name: 'an instance URL with a path', attempt: () => saveOption('Glean instance', 'https://acme-prod-be.glean.com/rest/api/v1'), says: 'Enter only the server, without a path, such as https://acme-prod-be.glean.com.' },
  { name: 'credentials in the instance URL', attempt: () => saveOption('Glean instance', 'https://alex:hunter2@acme-prod-be.glean.com'), says: 'Remove the user name and password from the address; the API token goes in its own field.' },
  { name: 'a javascript: instance', attempt: () => saveOption('Glean instance', 'javascript:alert(document.domain)'), says: 'The Glean instance must be an https:// address or an instance name such as acme-prod.' },
  { name: 'a non-loopback http:// instance', attempt: () => saveOption('Glean instance', 'http://acme-prod-be.glean.com'), says: 'Use https://. Plain http:// is allowed only for 127.0.0.1 and localhost.' },
  { name: 'an act-as that is not an email', attempt: () => saveOption('Act as', 'alex; drop table users'), says: '“Act as” must be an email address, such as alex@example.com, or empty.' },
  // Right-click sources.
  { name: 'a file: image (right-click)', attempt: () => rightClick('file:///home/someone/photo.png'), says: 'This image is a file on your computer, which extensions may not read. Upload it from Glean Images in the toolbar.' },
  { name: 'a chrome: image (right-click)', attempt: () => rightClick('chrome://favicon/size/16/https://example.com'), says: 'Glean Images cannot read images from “chrome:” addresses. Save the image and upload it from Glean Images in the toolbar.' },
  { name: 'a javascript: image address (right-click)', attempt: () => rightClick('javascript:alert(1)'), says: 'Glean Images cannot read images from “javascript:” addresses. Save the image and upload it from Glean Images in the toolbar.' },
  {
    name: 'a data: URL that is not an image (right-click)',
    attempt: () => rightClick(`data:text/html;base64,${Buffer.from('<script>alert(1)</script>').toString('base64')}`),
    says: 'That file is not an image Glean can take (PNG, JPEG, GIF, WebP, BMP, ICO, AVIF or SVG), whatever its name says.',
  },
  {
    name: 'an SVG with a script (taken; shown only as an image, its script never runs)',
    attempt: async () => {
      const file = await testFile('scripted.svg', probe.svg());
      const popup = await open('popup.html');
      const form = uploadForm(popup);
      await form.getByLabel('Image file').setInputFiles(file.path);
      await form.getByRole('img', { name: 'Preview of scripted.svg' }).waitFor();
      await fillMetadata(form, { type: 'UGC', id: 'scripted-svg' });
      await form.getByRole('button', { name: 'Upload' }).click();
      const item = uploadItem(popup, 'scripted.svg');
      await item.getByText('Uploaded', { exact: true }).waitFor();
      // Shown everywhere the extension shows an image: the list, a lookup, the full-size tab.
      const key = new URL((await item.getByRole('link').getAttribute('href')) ?? '').searchParams.get('key') ?? '';
      const look = lookUpForm(popup);
      await look.getByRole('textbox', { name: 'Key' }).fill(key);
      await look.getByRole('button', { name: 'Look up' }).click();
      await look.getByRole('img', { name: /^Glean image/ }).waitFor();
      const viewer = await open((await look.getByRole('link', { name: t('popupOpenFullSize') }).getAttribute('href')) ?? '');
      await viewer.getByRole('img', { name: t('viewerImageAlt') }).waitFor();
      for (const page of [popup, viewer]) {
        await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0));
      }
      return t('jobStateUploaded');
    },
    says: 'Uploaded',
    sends: 2,
    then: async ([upload]) => {
      assert.equal(upload?.headers['content-type'], 'image/svg+xml');
      // The control: the same SVG opened as a document in an ordinary tab does run, and tells.
      const tab = await extension.context.newPage();
      pages.push(tab);
      await tab.goto(`${probe.url}/probe.svg`);
      await eventually('the control beacons', () => (probe.ranAt.length >= 2 ? true : undefined));
      assert.deepEqual(
        probe.ranAt.filter((at) => !at.endsWith(`${probe.url}/probe.svg`)),
        [],
        'the script ran somewhere in the extension',
      );
    },
  },
  {
    name: 'a PNG declaring 50,000 × 50,000 pixels, right-clicked as a data: URL (Glean judges; the worker survives)',
    attempt: async () => {
      const worker = await extension.worker();
      await worker.evaluate(() => Object.assign(globalThis, { sameWorker: 'still here' }));
      return rightClick(`data:image/png;base64,${declaredPng(50_000, 50_000).toString('base64')}`, t('notifyUploadedTitle'));
    },
    says: 'Image from example.com is in Glean. Click to open it.',
    sends: 1,
    then: async ([sent]) => {
      assert.equal(sent?.status, 200);
      const worker = await extension.worker();
      // The upload left its thumbnail step behind it: the same worker, never restarted, still answers.
      const popup = await open('popup.html');
      const uploadedUrl = sent?.uploadedUrl;
      assert.ok(uploadedUrl, 'Glean took it');
      await uploadItem(popup, 'Image from example.com').filter({ has: popup.getByRole('link', { name: uploadedUrl, exact: true }) }).getByText('Uploaded', { exact: true }).waitFor();
      assert.equal(await worker.evaluate(() => (globalThis as unknown as { sameWorker?: string }).sameWorker), 'still here');
      const reply = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'cache/stats', payload: null }));
      assert.equal(reply?.ok, true);
    },
  },
];

/**
 * What reached Glean since `before`, once any request the attempt could still cause would have
 * arrived: a marker lookup is sent through the worker after the attempt, and everything before it in
 * the sandbox's log is the attempt's. Checking at once could pass while a stray request is on its way.
 */
async function sentBefore(before: number): Promise<RecordedRequest[]> {
  const key = `marker-${crypto.randomUUID()}`;
  const popup = await open('popup.html');
  await popup.evaluate((key) => fetch(`/glean/image?key=${encodeURIComponent(key)}`), key);
  const at = await eventually('the marker lookup at Glean', () => {
    const index = sandbox.requests.findIndex((request, i) => i >= before && request.query.key === key);
    return index === -1 ? undefined : index;
  });
  return sandbox.requests.slice(before, at);
}

for (const row of ROWS) {
  const sends = row.sends ?? 0;
  test(`bad input: ${row.name} → ${sends === 0 ? 'refused with a message, nothing sent' : `${sends} request(s)`}`, async () => {
    const before = sandbox.requests.length;
    const said = await row.attempt();
    if (typeof row.says === 'string') assert.equal(said, row.says);
    else assert.match(said, row.says);
    const sent = await sentBefore(before);
    assert.equal(sent.length, sends, `requests: ${JSON.stringify(sent.map((r) => `${r.method} ${r.path} ${r.status}`))}`);
    await row.then?.(sent);
  });
}

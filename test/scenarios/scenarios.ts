/**
 * The scenarios every browser runs, where it can (./run.ts): each one written once, against the
 * driver (./driver.ts), as a person would use the extension, and checked where it lands (the
 * sandbox's request log, what the pages show).
 */
import assert from 'node:assert/strict';
import type { SettingsInput } from '../../src/shared/messages.ts';
import type { CacheStats, Reply } from '../../src/shared/messages.ts';
import { instanceHostPattern } from '../../src/glean/instance.ts';
import type { ImageMetadata } from '../../src/shared/imageMetadata.ts';
import type { RecordedRequest } from '../../sandbox/server.ts';
import { eventually } from '../harness/eventually.ts';
import { pngFile } from '../harness/files.ts';
import { noisePng, putInSandbox } from '../harness/imageCache.ts';
import { startImageSite } from '../harness/imageSite.ts';
import { requestsFrom } from '../harness/requests.ts';
import type { ExtensionPage, Scope, ScenarioBrowser } from './driver.ts';
import type { Scenario, ScenarioContext } from './run.ts';

/** The message API of an extension page: Firefox's `browser`, or Chrome's `chrome` (promise-based in MV3). */
interface PageGlobals {
  browser?: { runtime: { sendMessage(message: unknown): Promise<unknown> } };
  chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };
}

/** Points the extension at the sandbox through the real message contract, as Save on the Options page does. */
async function configure({ browser, sandbox }: ScenarioContext, input: Partial<SettingsInput> = {}): Promise<void> {
  const page = await browser.openExtensionPage('options.html');
  const payload: SettingsInput = { instance: sandbox.url, token: sandbox.token, actAs: '', authType: '', defaults: {}, ...input };
  const reply = await page.evaluate((payload) => {
    const scope = globalThis as unknown as PageGlobals;
    return (scope.browser ?? scope.chrome).runtime.sendMessage({ type: 'settings/save', payload });
  }, payload);
  await page.close();
  assert.deepEqual((reply as { ok?: boolean } | undefined)?.ok, true, `saving settings failed: ${JSON.stringify(reply)}`);
}

/** What the image cache holds, as Options' "Image cache" section shows it. */
async function cacheStats(page: ExtensionPage): Promise<CacheStats> {
  const reply = (await page.evaluate(() => {
    const scope = globalThis as unknown as PageGlobals;
    return (scope.browser ?? scope.chrome).runtime.sendMessage({ type: 'cache/stats', payload: null });
  }, null)) as Reply<CacheStats>;
  if (!reply.ok) throw new Error(`cache/stats failed: ${reply.error.message}`);
  return reply.value;
}

/** Opens a new popup (as a person does, each time) and looks `key` up. */
async function lookUpKey(browser: ScenarioBrowser, key: string): Promise<{ popup: ExtensionPage; form: Scope }> {
  const popup = await browser.openExtensionPage('popup.html');
  const form = popup.within('form', 'Look up image');
  await form.fill('Key', key);
  await form.click('Look up');
  return { popup, form };
}

/** Fills the upload form's details for a file already selected, and presses Upload. */
async function uploadSelected(popup: ExtensionPage, { type = 'UGC', id = '' }: ImageMetadata): Promise<void> {
  const form = popup.within('form', 'Upload image');
  await form.select('Type', type);
  await form.fill('ID', id);
  await form.click('Upload');
}

const uploadItem = (popup: ExtensionPage, fileName: string): Scope => popup.within('list', 'Recent uploads').within('listitem', fileName);

const uploadsWithId = (requests: RecordedRequest[], id: string): RecordedRequest[] =>
  requests.filter((request) => request.operation === 'uploadimage' && request.query.id === id);

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'Options: save the server and token, then test the connection',
    async run({ browser, sandbox }) {
      const requests = requestsFrom(sandbox);
      const options = await browser.openExtensionPage('options.html');
      const form = options.within('form', 'Connection');
      // Enabled once the saved settings are in the form: typing before would be overwritten.
      await form.waitForButton('Save');
      await form.fill('Glean instance', sandbox.url);
      await form.fill('API token', sandbox.token);
      // Save also asks for the server's host access (already granted here: no prompt).
      await form.click('Save');
      await form.waitForText('Settings saved.', 'status');
      assert.equal(await form.fieldValue('API token'), '', 'the token field is emptied after saving');
      await form.waitForText(`Token saved (ends in …${sandbox.token.slice(-4)})`);

      await form.click('Test connection');
      await form.waitForText(`Connected to ${new URL(sandbox.url).host}: Glean accepted the token.`, 'status');
      const [probe] = requests.all();
      assert.equal(probe?.headers.authorization, `Bearer ${sandbox.token}`);
    },
  },

  {
    name: 'Popup: look a sample image up from Glean',
    async run(context) {
      await configure(context);
      const requests = requestsFrom(context.sandbox);
      const popup = await context.browser.openExtensionPage('popup.html');
      const form = popup.within('form', 'Look up image');
      await form.select('Type', 'USER');
      await form.fill('ID', 'sample');
      await form.click('Look up');
      assert.ok((await form.waitForImage(/^Glean image/)) > 0, 'the image decodes');
      await form.waitForText('from Glean', 'status');
      const [get] = requests.all();
      assert.deepEqual(get?.query, { type: 'USER', id: 'sample' });
      assert.equal(get?.headers.authorization, `Bearer ${context.sandbox.token}`);
      assert.equal(get?.status, 200);
    },
  },

  {
    name: 'Popup: an image seen once shows "from cache" with Glean offline',
    async run(context) {
      const { browser, sandbox } = context;
      await configure(context);
      const png = noisePng(600, 400);
      const key = await putInSandbox(sandbox, 'scenario-cache', png);
      const first = await lookUpKey(browser, key);
      await first.form.waitForText('from Glean', 'status');
      // The background files the original, then makes the thumbnail with OffscreenCanvas and
      // createImageBitmap (Chrome's service worker has no DOM, Firefox's event page has one) and files
      // it beside it: the cache then holds more than the image's own bytes.
      await eventually('a thumbnail in the cache', async () => {
        const stats = await cacheStats(first.popup);
        return stats.entries === 1 && stats.bytes > png.length ? stats : undefined;
      }, 15_000);
      await first.popup.close();

      await sandbox.goOffline();
      const again = await lookUpKey(browser, key);
      await again.form.waitForText('from cache', 'status');
      assert.ok((await again.form.waitForImage(/^Glean image/)) > 0, 'the cached image decodes');
      // The lookup is over when its button is enabled again: Glean stayed unreachable, the cache answered.
      await again.form.waitForButton('Look up');
      assert.equal(await again.form.liveText('status'), 'from cache');
      assert.equal(await again.form.liveText('alert'), '');
    },
  },

  {
    name: 'Popup: upload a picked file, then copy its URL',
    async run(context) {
      await configure(context);
      const requests = requestsFrom(context.sandbox);
      const file = await pngFile('scenario-picked.png');
      const popup = await context.browser.openExtensionPage('popup.html');
      await popup.within('form', 'Upload image').setInputFiles('Image file', file.path);
      await popup.within('form', 'Upload image').waitForImage('Preview of scenario-picked.png');
      await uploadSelected(popup, { type: 'UGC', id: 'scenario-picked' });
      const item = uploadItem(popup, 'scenario-picked.png');
      await item.waitForText('Uploaded');
      // navigator.clipboard.writeText from the click (src/popup/copyText.ts): "Copied" once it resolved.
      await item.click('Copy URL');
      await item.waitForButton('Copied');
      const [upload] = uploadsWithId(requests.all(), 'scenario-picked');
      assert.equal(upload?.bodySha256, file.sha256, 'the bytes arrive as picked');
      assert.equal(upload?.headers['content-type'], 'image/png');
    },
  },

  {
    name: 'Popup: upload a pasted image',
    needs: ['paste-image'],
    async run(context) {
      await configure(context);
      const requests = requestsFrom(context.sandbox);
      const file = await pngFile('scenario-pasted.png');
      const popup = await context.browser.openExtensionPage('popup.html');
      await context.browser.pasteImage(popup, file.path);
      await popup.within('form', 'Upload image').waitForImage(/^Preview of /);
      await uploadSelected(popup, { type: 'HEADER', id: 'scenario-pasted' });
      await popup.within('list', 'Recent uploads').waitForText('Uploaded');
      const [upload] = uploadsWithId(requests.all(), 'scenario-pasted');
      // Browsers re-encode clipboard images, so only the type is the file's.
      assert.equal(upload?.headers['content-type'], 'image/png');
      assert.ok((upload?.bodyBytes ?? 0) > 0);
    },
  },

  {
    name: 'Popup: upload a dropped file',
    needs: ['drop-file'],
    async run(context) {
      await configure(context);
      const requests = requestsFrom(context.sandbox);
      const file = await pngFile('scenario-dropped.png');
      const popup = await context.browser.openExtensionPage('popup.html');
      await context.browser.dropFile(popup, file.path);
      await popup.within('form', 'Upload image').waitForImage('Preview of scenario-dropped.png');
      await uploadSelected(popup, { type: 'LOGO', id: 'scenario-dropped' });
      await uploadItem(popup, 'scenario-dropped.png').waitForText('Uploaded');
      assert.equal(uploadsWithId(requests.all(), 'scenario-dropped')[0]?.bodySha256, file.sha256);
    },
  },

  {
    name: 'Upload: the job outlives its background, stopped while Glean is offline, and ends when Glean is back',
    needs: ['suspend-background'],
    async run(context) {
      const { browser, sandbox } = context;
      await configure(context);
      const requests = requestsFrom(sandbox);
      await sandbox.goOffline();
      const file = await pngFile('scenario-offline.png');
      const popup = await browser.openExtensionPage('popup.html');
      await popup.within('form', 'Upload image').setInputFiles('Image file', file.path);
      await uploadSelected(popup, { type: 'UGC', id: 'scenario-offline' });
      const item = uploadItem(popup, 'scenario-offline.png');
      await item.waitForText(/could not be reached/);
      await item.waitForText('Queued');

      // The background goes, with its timers and memory; the job is a record in IndexedDB.
      await browser.suspendBackground();
      await popup.close();
      await sandbox.goOnline();

      // A popup opened again wakes the background (its messages are events); the new background
      // resumes the job from its record, by the retry time the record holds.
      const reopened = await browser.openExtensionPage('popup.html');
      await uploadItem(reopened, 'scenario-offline.png').waitForText('Uploaded');
      const sent = uploadsWithId(requests.all(), 'scenario-offline').filter((request) => request.status === 200);
      assert.equal(sent.length, 1, 'uploaded once');
      assert.equal(sent[0]?.bodySha256, file.sha256);
    },
  },

  {
    name: 'Right-click: the real menu’s “Upload image to Glean” uploads the image with the Options defaults',
    needs: ['native-context-menu'],
    async run(context) {
      const site = await startImageSite();
      try {
        await configure(context, { defaults: { type: 'ICON', id: 'scenario-menu' } });
        const requests = requestsFrom(context.sandbox);
        const page = await context.browser.openWebPage(site.pageUrl);
        await page.imagesLoaded();
        await context.browser.chooseFromImageMenu(page, '#web', 'Upload image to Glean');
        const [upload] = await requests.waitFor(1, { operation: 'uploadimage', timeoutMs: 15_000 });
        assert.deepEqual(upload?.query, { type: 'ICON', id: 'scenario-menu' });
        assert.equal(upload?.bodySha256, site.images.web.sha256);
        // An ordinary job: the popup lists it.
        const popup = await context.browser.openExtensionPage('popup.html');
        await uploadItem(popup, 'picture-web.png').waitForText('Uploaded');
      } finally {
        await site.close();
      }
    },
  },

  {
    name: 'Access: without access to the server, lookups and uploads say so; “Grant access” brings both back',
    needs: ['withhold-host-access'],
    async run(context) {
      const { browser, sandbox } = context;
      await configure(context);
      const pattern = instanceHostPattern(sandbox.url);
      await browser.withholdHostAccess(pattern);
      const requests = requestsFrom(sandbox);

      const popup = await browser.openExtensionPage('popup.html');
      await popup.waitForText(`Glean Images may not reach ${new URL(sandbox.url).host} yet`, 'alert');

      const lookUp = popup.within('form', 'Look up image');
      await lookUp.select('Type', 'USER');
      await lookUp.fill('ID', 'sample');
      await lookUp.click('Look up');
      await lookUp.waitForText(/has not given Glean Images access to your Glean server\. Choose “Grant access”/, 'alert');

      const file = await pngFile('scenario-access.png');
      await popup.within('form', 'Upload image').setInputFiles('Image file', file.path);
      await uploadSelected(popup, { type: 'UGC', id: 'scenario-access' });
      const item = uploadItem(popup, 'scenario-access.png');
      await item.waitForText('Failed');
      await item.waitForText(/Choose “Grant access” .*the upload starts again once it is granted/);
      assert.deepEqual(requests.all(), [], 'nothing was sent without access');

      await popup.click('Grant access');
      await browser.allowPermissionPrompt(pattern);
      await popup.waitForNoButton('Grant access');
      // The background retries the upload by itself once access is granted.
      await item.waitForText('Uploaded');
      assert.equal(uploadsWithId(requests.all(), 'scenario-access')[0]?.bodySha256, file.sha256);
      await lookUp.click('Look up');
      await lookUp.waitForText('from Glean', 'status');
    },
  },
];

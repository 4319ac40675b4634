/**
 * The scenarios every browser runs, where it can (./run.ts): each one written once, against the
 * driver (./driver.ts), as a person would use the extension, and checked where it lands (the
 * sandbox's request log, the extension's IndexedDB).
 */
import assert from 'node:assert/strict';
import type { SettingsInput } from '../../src/shared/messages.ts';
import { CACHE_DATABASES, type CacheEntry } from '../../src/shared/cacheEntry.ts';
import { instanceHostPattern } from '../../src/glean/instance.ts';
import type { ImageMetadata } from '../../src/shared/imageMetadata.ts';
import type { RecordedRequest } from '../../sandbox/server.ts';
import { eventually } from '../harness/eventually.ts';
import { pngFile } from '../harness/files.ts';
import { noisePng, putInSandbox } from '../harness/imageCache.ts';
import { requestsFrom, type RequestsSince } from '../harness/requests.ts';
import type { ExtensionPage, Scope, ScenarioBrowser } from './driver.ts';
import type { Scenario, ScenarioContext } from './run.ts';

/** The APIs of an extension page used here: Firefox's `browser`, or Chrome's `chrome` (promise-based in MV3). */
interface ExtensionApis {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  permissions: { contains(permissions: { origins: string[] }): Promise<boolean> };
  notifications: { getAll(): Promise<Record<string, unknown>> };
  storage: { local: { get(keys: null): Promise<Record<string, unknown>> } };
}
interface PageGlobals {
  browser?: ExtensionApis;
  chrome: ExtensionApis;
}

/** Whether the extension may read `url`'s site (the pattern src/worker/contextMenu/hostAccess.ts asks for). */
function hasAccess(page: ExtensionPage, url: string): Promise<boolean> {
  const { protocol, hostname } = new URL(url);
  return page.evaluate((origin) => {
    const scope = globalThis as unknown as PageGlobals;
    return (scope.browser ?? scope.chrome).permissions.contains({ origins: [origin] });
  }, `${protocol}//${hostname}/*`);
}

/** How many of the extension's notifications the browser shows. */
function notificationCount(page: ExtensionPage): Promise<number> {
  return page.evaluate(async () => {
    const scope = globalThis as unknown as PageGlobals;
    return Object.keys(await (scope.browser ?? scope.chrome).notifications.getAll()).length;
  }, undefined);
}

/**
 * What reached Glean since `requests` began, once any request an attempt could still cause would have
 * arrived: a marker lookup is sent through the background after the attempt, and everything before it
 * in the log is the attempt's. Checking at once could pass while a stray request is on its way.
 */
async function sentBeforeMarker({ sandbox }: ScenarioContext, requests: RequestsSince, page: ExtensionPage): Promise<RecordedRequest[]> {
  const key = `marker-${crypto.randomUUID()}`;
  await page.evaluate((key) => {
    const scope = globalThis as unknown as PageGlobals;
    return (scope.browser ?? scope.chrome).runtime.sendMessage({ type: 'image/lookUp', payload: { query: { key }, session: 'marker' } });
  }, key);
  await eventually('the marker lookup at Glean', async () => (sandbox.requests.some((request) => request.query.key === key) ? true : undefined));
  const all = requests.all();
  return all.slice(0, all.findIndex((request) => request.query.key === key));
}

/** Points the extension at the sandbox through the real message contract, as Save on the Options page does. */
async function configure({ browser, sandbox, glean }: ScenarioContext, input: Partial<SettingsInput> = {}): Promise<void> {
  const page = await browser.openExtensionPage('options.html');
  const payload: SettingsInput = { instance: glean.instance, token: sandbox.token, actAs: '', authType: '', defaults: {}, ...input };
  const reply = await page.evaluate((payload) => {
    const scope = globalThis as unknown as PageGlobals;
    return (scope.browser ?? scope.chrome).runtime.sendMessage({ type: 'settings/save', payload });
  }, payload);
  await page.close();
  assert.deepEqual((reply as { ok?: boolean } | undefined)?.ok, true, `saving settings failed: ${JSON.stringify(reply)}`);
}

/** Every record of the image cache, read from an extension page's IndexedDB as the popup reads it. */
function cacheEntries(page: ExtensionPage): Promise<CacheEntry[]> {
  return page.evaluate(
    ([database, store]) =>
      new Promise<CacheEntry[]>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          // Not created yet: nothing is cached. (Creating it here would break the worker's upgrade.)
          if (!db.objectStoreNames.contains(store)) {
            db.close();
            resolve([]);
            return;
          }
          const request = db.transaction(store, 'readonly').objectStore(store).getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            db.close();
            resolve(request.result as CacheEntry[]);
          };
        };
      }),
    CACHE_DATABASES.entries,
  );
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
    async run({ browser, sandbox, glean }) {
      const requests = requestsFrom(sandbox);
      const options = await browser.openExtensionPage('options.html');
      const form = options.within('form', 'Connection');
      // Enabled once the saved settings are in the form: typing before would be overwritten.
      await form.waitForButton('Save');
      await form.fill('Glean instance', glean.instance);
      await form.fill('API token', sandbox.token);
      // Save also asks for the server's host access (already granted here: no prompt).
      await form.click('Save');
      await form.waitForText('Settings saved.', 'status');
      assert.equal(await form.fieldValue('API token'), '', 'the token field is emptied after saving');
      await form.waitForText(`Token saved (ends in …${sandbox.token.slice(-4)})`);

      await form.click('Test connection');
      await form.waitForText(`Connected to ${glean.host}: Glean accepted the token.`, 'status');
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
      const key = await putInSandbox(sandbox, 'scenario-cache', noisePng(600, 400));
      const first = await lookUpKey(browser, key);
      await first.form.waitForText('from Glean', 'status');
      // The background makes the thumbnail after answering, with OffscreenCanvas and createImageBitmap:
      // Chrome's service worker has no DOM, Firefox's event page has one; both encode WebP.
      const entry = await eventually('a thumbnail in the cache', async () => (await cacheEntries(first.popup)).find((e) => e.thumbnail), 15_000);
      assert.equal(entry.thumbnail?.contentType, 'image/webp');
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
    name: 'Right-click: the real menu’s “Upload image to Glean” asks for the site at the first click (Allow), then uploads with the Options defaults',
    needs: ['native-context-menu'],
    async run(context) {
      const { browser, site } = context;
      await configure(context, { defaults: { type: 'ICON', id: 'scenario-menu' } });
      const requests = requestsFrom(context.sandbox);
      const page = await browser.openWebPage(site.pageUrl('allow'));
      await page.imagesLoaded();
      await browser.chooseFromImageMenu(page, '#web', 'Upload image to Glean');
      if (site.asksAccess) await browser.answerPermissionPrompt(page, 'allow');
      const [upload] = await requests.waitFor(1, { operation: 'uploadimage', timeoutMs: 15_000 });
      assert.deepEqual(upload?.query, { type: 'ICON', id: 'scenario-menu' });
      assert.equal(upload?.bodySha256, site.images.web.sha256);
      // An ordinary job: the popup lists it.
      const popup = await browser.openExtensionPage('popup.html');
      await uploadItem(popup, 'picture-web.png').waitForText('Uploaded');
      if (site.asksAccess) assert.equal(await hasAccess(popup, site.pageUrl('allow')), true, '“Allow” granted the site');
    },
  },

  {
    name: 'Right-click: refusing the browser’s prompt for a new site uploads nothing and leaves the site without access',
    needs: ['native-context-menu', 'permission-prompt'],
    async run(context) {
      const { browser, site, sandbox } = context;
      await configure(context, { defaults: { type: 'ICON', id: 'scenario-menu-deny' } });
      const requests = requestsFrom(sandbox);
      const page = await browser.openWebPage(site.pageUrl('deny'));
      await page.imagesLoaded();
      const options = await browser.openExtensionPage('options.html');
      const notificationsBefore = await notificationCount(options);
      await browser.chooseFromImageMenu(page, '#web', 'Upload image to Glean');
      await browser.answerPermissionPrompt(page, 'deny');
      // The refusal is told by a notification (src/worker/contextMenu/notify.ts), and nothing is queued.
      await eventually('a notification', async () => ((await notificationCount(options)) > notificationsBefore ? true : undefined));
      assert.equal(await hasAccess(options, site.pageUrl('deny')), false);
      assert.deepEqual(await sentBeforeMarker(context, requests, options), [], 'nothing was sent to Glean');
    },
  },

  {
    name: 'Right-click: a blob: image is read in the page through activeTab, with no access to its site',
    needs: ['native-context-menu'],
    async run(context) {
      const { browser, site } = context;
      await configure(context, { defaults: { type: 'ICON', id: 'scenario-blob' } });
      const requests = requestsFrom(context.sandbox);
      const page = await browser.openWebPage(site.pageUrl('blob'));
      await page.imagesLoaded();
      // No prompt to answer: a blob: URL needs no host access, and the menu click grants activeTab.
      await browser.chooseFromImageMenu(page, '#blob', 'Upload image to Glean');
      const [upload] = await requests.waitFor(1, { operation: 'uploadimage', timeoutMs: 15_000 });
      assert.deepEqual(upload?.query, { type: 'ICON', id: 'scenario-blob' });
      assert.equal(upload?.bodySha256, site.images.blob.sha256, 'the blob’s own bytes');
      if (site.asksAccess) {
        const popup = await browser.openExtensionPage('popup.html');
        assert.equal(await hasAccess(popup, site.pageUrl('blob')), false, 'uploaded without access to the site');
      }
    },
  },

  {
    name: 'Options: Save with a server outside *.glean.com asks the browser for it; “Allow” saves and connects',
    needs: ['permission-prompt'],
    async run({ browser, sandbox, outsideGleanUrl }) {
      const options = await browser.openExtensionPage('options.html');
      const form = options.within('form', 'Connection');
      await form.waitForButton('Save');
      await form.fill('Glean instance', outsideGleanUrl);
      await form.fill('API token', sandbox.token);
      await form.click('Save');
      await browser.answerPermissionPrompt(options, 'allow');
      await form.waitForText('Settings saved.', 'status');
      assert.equal(await hasAccess(options, outsideGleanUrl), true);
      const requests = requestsFrom(sandbox);
      await form.click('Test connection');
      await form.waitForText(`Connected to ${new URL(outsideGleanUrl).host}: Glean accepted the token.`, 'status');
      assert.equal(requests.all()[0]?.headers.host, new URL(outsideGleanUrl).host);
    },
  },

  {
    name: 'Options: Save with a server outside *.glean.com asks the browser for it; “Deny” saves nothing and says what to do',
    needs: ['permission-prompt'],
    async run({ browser, sandbox, outsideGleanUrl }) {
      const options = await browser.openExtensionPage('options.html');
      const form = options.within('form', 'Connection');
      await form.waitForButton('Save');
      await form.fill('Glean instance', outsideGleanUrl);
      await form.fill('API token', sandbox.token);
      await form.click('Save');
      await browser.answerPermissionPrompt(options, 'deny');
      await form.waitForText('The browser did not allow access to that server, so nothing was saved. Save again and choose Allow.', 'alert');
      assert.equal(await hasAccess(options, outsideGleanUrl), false);
      const stored = await options.evaluate(() => {
        const scope = globalThis as unknown as PageGlobals;
        return (scope.browser ?? scope.chrome).storage.local.get(null);
      }, undefined);
      assert.ok(!JSON.stringify(stored).includes(new URL(outsideGleanUrl).hostname), `nothing saved: ${JSON.stringify(Object.keys(stored))}`);
    },
  },

  {
    name: 'Access: without access to the server, lookups and uploads say so; “Grant access” brings both back',
    needs: ['withhold-host-access'],
    async run(context) {
      const { browser, sandbox } = context;
      await configure(context);
      const pattern = instanceHostPattern(context.glean.url);
      await browser.withholdHostAccess(pattern);
      const requests = requestsFrom(sandbox);

      const popup = await browser.openExtensionPage('popup.html');
      await popup.waitForText(`Glean Images may not reach ${context.glean.host} yet`, 'alert');

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

/**
 * The scenarios every browser runs, where it can (./run.ts): each one written once, against the
 * driver (./driver.ts), as a person would use the extension, and checked where it lands (the
 * sandbox's request log, what the pages show).
 */
import assert from 'node:assert/strict';
import type { CacheStats, Reply, SettingsInput } from '../../src/shared/messages.ts';
import { imageAddress } from '../../src/shared/imageAddress.ts';
import { DEFAULT_TIMEOUTS } from '../../src/glean/client.ts';
import { instanceHostPattern } from '../../src/glean/instance.ts';
import type { ImageMetadata } from '../../src/shared/imageMetadata.ts';
import { EXTENSION_REDIRECT_PATTERNS } from '../../sandbox/oauth/redirectPatterns.ts';
import type { Fault, RecordedRequest } from '../../sandbox/server.ts';
import { eventually } from '../harness/eventually.ts';
import { pngFile, testFile } from '../harness/files.ts';
import { noisePng, putInSandbox } from '../harness/imageCache.ts';
import { dropConnections, requestsFrom, type RequestsSince } from '../harness/requests.ts';
import type { ExtensionPage, Scope, ScenarioBrowser } from './driver.ts';
import type { Scenario, ScenarioContext } from './run.ts';
import { pngSize, uploadedBytes, uploadedScreenshot } from '../harness/capture.ts';

/** The APIs of an extension page used here: Firefox's `browser`, or Chrome's `chrome` (promise-based in MV3). */
interface ExtensionApis {
  runtime: { sendMessage(message: unknown): Promise<unknown>; getBrowserInfo?: unknown; getManifest(): unknown };
  commands: { getAll(): Promise<{ name?: string; shortcut?: string }[]> };
  /** Extension pages only: the extension's own open pages, its toolbar popup among them. */
  extension: { getViews(filter: { type: 'popup' }): (Window & typeof globalThis)[] };
  windows: { getAll(filter: { windowTypes: ['popup'] }): Promise<unknown[]> };
  permissions: { contains(permissions: { origins: string[] }): Promise<boolean> };
  notifications: { getAll(): Promise<Record<string, unknown>> };
  action: { getBadgeText(details: Record<string, never>): Promise<string> };
  storage: { local: { get(keys: null): Promise<Record<string, unknown>> }; managed: { get(keys: null): Promise<Record<string, unknown>> } };
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
  // Asked by address as the popup asks (`fetchImage` in src/shared/ask.ts): Chrome's worker answers the page's
  // fetch, Firefox's event page the message.
  await page.evaluate(async (address) => {
    const scope = globalThis as unknown as PageGlobals;
    const { runtime } = scope.browser ?? scope.chrome;
    if (runtime.getBrowserInfo) return runtime.sendMessage({ type: 'image/serve', payload: { address } });
    // Controlled once the worker claims the page (see `controlled` in src/shared/ask.ts).
    if (!navigator.serviceWorker.controller) await new Promise((claimed) => navigator.serviceWorker.addEventListener('controllerchange', claimed, { once: true }));
    return (await fetch(address)).status;
  }, imageAddress({ key }, { session: 'marker' }));
  await eventually('the marker lookup at Glean', async () => (sandbox.requests.some((request) => request.query.key === key) ? true : undefined));
  const all = requests.all();
  return all.slice(0, all.findIndex((request) => request.query.key === key));
}

/**
 * Runs in an extension page: what the extension's open toolbar popup shows, once it shows a selected
 * image (undefined before). The popup is the extension's own page, so `extension.getViews` hands over
 * its window; `popupWindows` counts the stand-in windows src/worker/openPopup.ts opens where it cannot.
 */
async function readToolbarPopup(): Promise<{ popups: number; popupWindows: number; preview: string; type: string } | undefined> {
  const { extension, windows } = (globalThis as unknown as PageGlobals).browser ?? (globalThis as unknown as PageGlobals).chrome;
  const views = extension.getViews({ type: 'popup' });
  const form = views[0]?.document.querySelector('form[aria-labelledby="upload-title"]');
  const preview = form?.querySelector<HTMLImageElement>('img[alt^="Preview of "]');
  if (!form || !preview) return undefined;
  return {
    popups: views.length,
    popupWindows: (await windows.getAll({ windowTypes: ['popup'] })).length,
    preview: preview.alt,
    type: form.querySelector<HTMLSelectElement>('select[name="type"]')?.value ?? '',
  };
}

/** Whether two PNGs hold the same pixels, decoded in the page as the browser decodes them. */
function samePixels(page: ExtensionPage, a: Buffer, b: Buffer): Promise<boolean> {
  return page.evaluate(
    async (images) => {
      const pixels = await Promise.all(
        images.map(async (base64) => {
          const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const context = canvas.getContext('2d');
          if (!context) throw new Error('no 2d canvas');
          context.drawImage(bitmap, 0, 0);
          return Array.from(context.getImageData(0, 0, bitmap.width, bitmap.height).data);
        }),
      );
      return pixels[0]?.length === pixels[1]?.length && (pixels[0] ?? []).every((value, i) => value === pixels[1]?.[i]);
    },
    [a.toString('base64'), b.toString('base64')],
  );
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

/** The sandbox's whole log (OAuth requests included) from now on: `requestsFrom` keeps only the images API's. */
function everythingFrom(sandbox: ScenarioContext['sandbox']): () => RecordedRequest[] {
  const start = sandbox.requests.length;
  return () => sandbox.requests.slice(start);
}

const tokenRequests = (requests: RecordedRequest[], grantType: 'authorization_code' | 'refresh_token'): RecordedRequest[] =>
  requests.filter((request) => request.oauth?.endpoint === 'token' && request.oauth.grantType === grantType);

/**
 * The signed-in start every sign-in scenario shares, as a person signs in on a fresh Options page: the
 * instance typed (unless the policy set it), "Sign in with Glean", "Allow" in the browser's sign-in
 * window; resolves once the page says "Signed in to …".
 */
async function signIn({ browser, sandbox, identityProvider, glean, policy }: ScenarioContext): Promise<ExtensionPage> {
  // The browser keeps the servers' sign-in cookies from an earlier scenario, and a server that
  // remembers the person redirects at once: no window would open to answer.
  sandbox.oauth.endSessions();
  identityProvider.endSessions();
  const options = await browser.openExtensionPage('options.html');
  const form = options.within('form', 'Connection');
  await form.waitForButton('Sign in with Glean');
  // An instance set by policy is in the field already, read-only: a person signs in without typing it.
  if (policy?.server === undefined) await form.fill('Glean instance', glean.instance);
  else await form.waitForText('Set by your administrator');
  await Promise.all([browser.answerSignInWindow('Allow'), form.click('Sign in with Glean')]);
  await options.waitForText(`Signed in to ${glean.host}`);
  return options;
}

/** The extension holds the scenario's policy as its own `storage.managed` (in either browser), and Options shows its instance. */
async function assertPolicyRead(options: ExtensionPage, { glean, policy }: ScenarioContext): Promise<void> {
  const managed = await options.evaluate(() => {
    const scope = globalThis as unknown as PageGlobals;
    return (scope.browser ?? scope.chrome).storage.managed.get(null);
  }, undefined);
  assert.deepEqual(managed, policy, 'storage.managed holds the policy');
  assert.equal(await options.within('form', 'Connection').fieldValue('Glean instance'), glean.instance, 'the instance the policy set');
}

/** Everything in the extension's storage.local, as a page reads it (the token is kept there sealed). */
function localStorage(page: ExtensionPage): Promise<Record<string, unknown>> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as PageGlobals;
    return (scope.browser ?? scope.chrome).storage.local.get(null);
  }, undefined);
}

/** One lookup against a fault (the fault tables of test/e2e/lookupFaults.test.ts, a few rows of each kind). */
interface LookupFaultRow {
  name: string;
  faults: Fault[];
  /** Requests the lookup makes in all. */
  requests: number;
  /** `image`, or the popup's whole alert. */
  shows: 'image' | string;
  /** The least time between the first request and the second. */
  waitsAtLeastMs?: number;
}

const LOOKUP_FAULT_ROWS: readonly LookupFaultRow[] = [
  { name: 'a 503, then the image', faults: [{ status: 503 }], requests: 2, shows: 'image' },
  { name: 'a 429 with Retry-After: 1, then the image', faults: [{ status: 429, retryAfter: '1' }], requests: 2, shows: 'image', waitsAtLeastMs: 1_000 },
  { name: 'a 401', faults: [{ status: 401, body: 'unauthorized' }], requests: 1, shows: 'Glean rejected the API token. Check it in Options.' },
  { name: 'a 404', faults: [], requests: 1, shows: 'Glean has no image for this key or these details. Check the key, or the type, id, ds and cid.' },
];

/** Runs `row` in a new popup: a sample's key when it should show the image, a key Glean lacks otherwise. */
async function lookUpAgainst(context: ScenarioContext, row: LookupFaultRow, sample: number): Promise<void> {
  const { browser, sandbox } = context;
  const requests = requestsFrom(sandbox);
  for (const fault of row.faults) sandbox.fault(fault);
  // A fresh connection: Chromium resends by itself a request whose reused connection fails (test/harness/requests.ts).
  await dropConnections(sandbox);
  const key = row.shows === 'image' ? (sandbox.samples[sample % sandbox.samples.length]?.key ?? '') : `unknown-${crypto.randomUUID()}`;
  const { popup, form } = await lookUpKey(browser, key);
  if (row.shows === 'image') {
    assert.ok((await form.waitForImage(/^Glean image/)) > 0, `${row.name}: the image decodes`);
    await form.waitForText('from Glean', 'status');
  } else {
    // A hung lookup ends only at the client's per-try timeout (src/glean/client.ts).
    await form.waitForText(row.shows, 'alert', row.faults.some((fault) => 'hang' in fault) ? DEFAULT_TIMEOUTS.lookupMs + 15_000 : undefined);
    assert.equal(await form.liveText('alert'), row.shows, row.name);
  }
  const sent = await sentBeforeMarker(context, requests, popup);
  assert.equal(sent.length, row.requests, `${row.name}: ${JSON.stringify(sent.map((r) => r.status))}`);
  const [first, second] = sent;
  if (row.waitsAtLeastMs !== undefined && first && second) assert.ok(second.at - first.at >= row.waitsAtLeastMs - 5, `${row.name}: retried after ${second.at - first.at} ms`);
  await popup.close();
}

/** Picks `name` with `bytes` in a new popup and waits for the upload form's alert to say `says`; Upload then sends nothing. */
async function pickRefused(browser: ScenarioBrowser, name: string, bytes: Buffer, says: string): Promise<ExtensionPage> {
  const file = await testFile(name, bytes);
  const popup = await browser.openExtensionPage('popup.html');
  const form = popup.within('form', 'Upload image');
  await form.setInputFiles('Image file', file.path);
  await form.waitForText(says, 'alert');
  await uploadSelected(popup, { type: 'UGC', id: 'refused' });
  await form.waitForText('Choose an image file first, or drop or paste one into this window.', 'alert');
  return popup;
}

/** Options: the sandbox as a server outside `*.glean.com` and its token, Save, and the browser's prompt answered. */
async function saveOutsideGlean(
  { browser, sandbox, outsideGleanUrl }: Pick<ScenarioContext, 'browser' | 'sandbox' | 'outsideGleanUrl'>,
  answer: 'allow' | 'deny',
): Promise<{ options: ExtensionPage; form: ReturnType<ExtensionPage['within']> }> {
  const options = await browser.openExtensionPage('options.html');
  const form = options.within('form', 'Connection');
  await form.waitForButton('Save');
  await form.fill('Glean instance', outsideGleanUrl);
  await form.fill('API token', sandbox.token);
  await form.click('Save');
  await browser.answerPermissionPrompt(options, answer);
  return { options, form };
}

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
    inFullForChromium: 'test/e2e/cache.test.ts',
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
    inFullForChromium: 'test/e2e/upload.test.ts',
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
    inFullForChromium: 'test/e2e/upload.test.ts',
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
    inFullForChromium: 'test/e2e/upload.test.ts',
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
    inFullForChromium: 'test/e2e/upload.test.ts',
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
    needs: ['native-context-menu', 'allow-prompt'],
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
    needs: ['native-context-menu', 'blob-through-menu'],
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
      const { options, form } = await saveOutsideGlean({ browser, sandbox, outsideGleanUrl }, 'allow');
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
      const { options, form } = await saveOutsideGlean({ browser, sandbox, outsideGleanUrl }, 'deny');
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
      await browser.allowPermissionPrompt(popup, pattern);
      await popup.waitForNoButton('Grant access');
      // The background retries the upload by itself once access is granted.
      await item.waitForText('Uploaded');
      assert.equal(uploadsWithId(requests.all(), 'scenario-access')[0]?.bodySha256, file.sha256);
      await lookUp.click('Look up');
      await lookUp.waitForText('from Glean', 'status');
    },
  },
  ...LOOKUP_FAULT_ROWS.map(
    (row, sample): Scenario => ({
      name: `Faults: a lookup that meets ${row.name} → ${row.requests} request(s), ${row.shows === 'image' ? 'the image' : 'what it means'}`,
      inFullForChromium: 'test/e2e/lookupFaults.test.ts',
      async run(context) {
        await configure(context);
        await lookUpAgainst(context, row, sample);
      },
    }),
  ),

  {
    name: 'Faults: a lookup Glean never answers ends at the per-try timeout with “took too long”, not retried',
    inFullForChromium: 'test/e2e/lookupFaults.test.ts',
    async run(context) {
      await configure(context);
      await lookUpAgainst(context, { name: 'no answer', faults: [{ hang: true }], requests: 1, shows: 'Glean took too long to answer. Try again later.' }, 0);
    },
  },

  {
    name: 'Faults: an upload that meets a 503 is retried and ends Uploaded, sent once more',
    inFullForChromium: 'test/e2e/uploadFaults.test.ts',
    async run(context) {
      const { browser, sandbox } = context;
      await configure(context);
      const requests = requestsFrom(sandbox);
      sandbox.fault({ status: 503, operation: 'uploadimage' });
      await dropConnections(sandbox);
      const file = await pngFile('scenario-503.png');
      const popup = await browser.openExtensionPage('popup.html');
      await popup.within('form', 'Upload image').setInputFiles('Image file', file.path);
      await uploadSelected(popup, { type: 'UGC', id: 'scenario-503' });
      await uploadItem(popup, 'scenario-503.png').waitForText('Uploaded');
      assert.deepEqual(uploadsWithId(requests.all(), 'scenario-503').map((request) => request.status), [503, 200]);
    },
  },

  {
    name: 'Bad input: a text file, an empty file and an ID with control characters are refused with a message, and nothing is sent',
    inFullForChromium: 'test/e2e/badInput.test.ts',
    async run(context) {
      const { browser } = context;
      await configure(context);
      const requests = requestsFrom(context.sandbox);
      await pickRefused(browser, 'not-an-image.png', Buffer.from('hello, I am text'), 'That file is not an image Glean can take (PNG, JPEG, GIF, WebP, BMP, ICO, AVIF or SVG), whatever its name says.');
      await pickRefused(browser, 'empty.png', Buffer.alloc(0), 'That file is empty. Choose the image file again.');
      const file = await pngFile('scenario-control.png');
      const popup = await browser.openExtensionPage('popup.html');
      await popup.within('form', 'Upload image').setInputFiles('Image file', file.path);
      await uploadSelected(popup, { type: 'UGC', id: 'photo-\u001b[31m-red' });
      await popup.within('form', 'Upload image').waitForText('ID contains invisible control characters. Type it again.', 'alert');
      assert.deepEqual(await sentBeforeMarker(context, requests, popup), [], 'nothing was sent');
    },
  },

  {
    name: 'Options: an instance with a path, with credentials or a javascript: one, and an act-as that is no email are refused, and nothing is saved',
    inFullForChromium: 'test/e2e/badInput.test.ts',
    async run(context) {
      const { browser } = context;
      await configure(context);
      const rows: [field: 'Glean instance' | 'Act as', value: string, says: string][] = [
        ['Glean instance', 'https://acme-prod-be.glean.com/rest/api/v1', 'Enter only the server, without a path, such as https://acme-prod-be.glean.com.'],
        ['Glean instance', 'https://alex:hunter2@acme-prod-be.glean.com', 'Remove the user name and password from the address; the API token goes in its own field.'],
        ['Glean instance', 'javascript:alert(document.domain)', 'The Glean instance must be an https:// address or an instance name such as acme-prod.'],
        ['Act as', 'alex; drop table users', '“Act as” must be an email address, such as alex@example.com, or empty.'],
      ];
      for (const [field, value, says] of rows) {
        const options = await browser.openExtensionPage('options.html');
        const before = await localStorage(options);
        const form = options.within('form', 'Connection');
        await form.waitForButton('Save');
        await form.fill(field, value);
        await form.fill('API token', 'a-new-token-1234');
        await form.click('Save');
        await form.waitForText(says, 'alert');
        assert.equal(await form.liveText('alert'), says, value);
        assert.equal(await form.fieldValue(field), value, 'what was typed stays');
        assert.deepEqual(await localStorage(options), before, `nothing was saved for ${value}`);
        await options.close();
      }
    },
  },

  {
    name: 'Token custody: the saved token never comes back to a page, and Glean gets it only as Authorization: Bearer',
    inFullForChromium: 'test/e2e/tokenCustody.test.ts',
    async run(context) {
      const { browser, sandbox, glean } = context;
      const requests = requestsFrom(sandbox);
      const options = await browser.openExtensionPage('options.html');
      const form = options.within('form', 'Connection');
      await form.waitForButton('Save');
      await form.fill('Glean instance', glean.instance);
      await form.fill('API token', sandbox.token);
      await form.click('Save');
      await form.waitForText('Settings saved.', 'status');
      const { popup, form: lookUp } = await lookUpKey(browser, sandbox.samples[0]?.key ?? '');
      await lookUp.waitForText('from Glean', 'status');
      const seen = async (page: ExtensionPage): Promise<string> =>
        page.evaluate(async () => {
          const scope = globalThis as unknown as PageGlobals;
          const fields = Array.from(document.querySelectorAll('input')).map((input) => input.value);
          return JSON.stringify([document.documentElement.outerHTML, fields, await (scope.browser ?? scope.chrome).storage.local.get(null)]);
        }, undefined);
      for (const page of [options, popup]) assert.ok(!(await seen(page)).includes(sandbox.token), 'no page shows or reads the token');
      const sent = requests.all();
      assert.ok(sent.length > 0);
      for (const request of sent) {
        assert.equal(request.headers.authorization, `Bearer ${sandbox.token}`);
        assert.ok(!JSON.stringify({ ...request.headers, authorization: '' }).includes(sandbox.token) && !request.path.includes(sandbox.token), 'only in Authorization');
      }
    },
  },

  // Issue 15 (capture and batch), kept together at the end of the list.
  {
    name: 'Popup: three files picked at once upload as three jobs with the shared details, byte for byte',
    inFullForChromium: 'test/e2e/capture.test.ts',
    async run(context) {
      await configure(context);
      const requests = requestsFrom(context.sandbox);
      const names = ['one', 'two', 'three'].map((name) => `scenario-batch-${name}.png`);
      const files = await Promise.all(names.map((name) => pngFile(name)));
      const popup = await context.browser.openExtensionPage('popup.html');
      const form = popup.within('form', 'Upload image');
      await form.setInputFiles('Image file', files.map((file) => file.path));
      await form.waitForText('3 images selected', 'status');
      for (const name of names) await form.waitForImage(`Preview of ${name}`);
      await form.select('Type', 'LOGO');
      await form.fill('ID', 'scenario-batch');
      await form.fill('Datasource', 'batchds');
      await form.fill('Content ID', 'batch-cid');
      await form.click('Upload');
      await form.waitForText('3 of 3 uploaded.', 'status');
      const uploads = await requests.waitFor(3, { operation: 'uploadimage' });
      assert.equal(uploads.length, 3, 'one upload per file');
      for (const upload of uploads) assert.deepEqual(upload.query, { type: 'LOGO', id: 'scenario-batch', ds: 'batchds', cid: 'batch-cid' });
      assert.deepEqual(uploads.map((upload) => upload.bodySha256).sort(), files.map((file) => file.sha256).sort(), 'each file arrived as picked');
    },
  },

  {
    name: 'Popup: Copy Markdown puts ![name](url) on the clipboard',
    inFullForChromium: 'test/e2e/capture.test.ts',
    async run(context) {
      await configure(context);
      const file = await pngFile('scenario-markdown.png');
      const popup = await context.browser.openExtensionPage('popup.html');
      await popup.within('form', 'Upload image').setInputFiles('Image file', file.path);
      await uploadSelected(popup, { type: 'UGC', id: 'scenario-markdown' });
      const item = uploadItem(popup, 'scenario-markdown.png');
      await item.waitForText('Uploaded');
      const [url] = await item.links();
      assert.ok(url, 'the item links to the URL Glean gave');
      await item.click('Copy Markdown');
      await item.waitForButton('Copied');
      assert.equal(await context.browser.readClipboardText(popup), `![scenario-markdown.png](${url})`);
    },
  },

  {
    name: 'Popup: Copy image puts the uploaded image itself on the clipboard, as PNG',
    inFullForChromium: 'test/e2e/capture.test.ts',
    needs: ['clipboard-image'],
    async run(context) {
      await configure(context);
      const file = await pngFile('scenario-copy-image.png', 'copy image', 120);
      const popup = await context.browser.openExtensionPage('popup.html');
      await popup.within('form', 'Upload image').setInputFiles('Image file', file.path);
      await uploadSelected(popup, { type: 'UGC', id: 'scenario-copy-image' });
      const item = uploadItem(popup, 'scenario-copy-image.png');
      await item.waitForText('Uploaded');
      // The job's image (its bytes in the upload store, else the cache's copy: uploadedImage in
      // src/popup/RecentUploads.tsx), written as PNG from the click (src/popup/copyImage.ts).
      await item.click('Copy image');
      await item.waitForButton('Copied');
      const copied = await context.browser.readClipboardImage(popup);
      assert.ok(copied, 'the clipboard holds a PNG');
      assert.deepEqual(pngSize(copied), { width: 120, height: 120 });
      // Browsers re-encode clipboard images: the same pixels, not the same bytes.
      assert.ok(await samePixels(popup, copied, file.bytes), 'the pixels of the uploaded image');
    },
  },

  {
    name: 'Shortcut: screenshot-tab, typed over a web page, captures it and opens the toolbar popup with the capture selected as FEEDBACK',
    inFullForChromium: 'test/e2e/screenshotCommand.test.ts',
    // The plain build: the capture runs on the activeTab grant the typed shortcut gives, nothing else.
    needs: ['keyboard-shortcut'],
    async run(context) {
      const { browser, site } = context;
      await configure(context);
      // Opened first, so it stays behind the web page: the toolbar popup is read through it
      // (`extension.getViews`, which lists an extension's own open popup), never brought to the front.
      const observer = await browser.openExtensionPage('options.html');
      const { suggested, assigned } = await observer.evaluate(async () => {
        const { runtime, commands } = (globalThis as unknown as PageGlobals).browser ?? (globalThis as unknown as PageGlobals).chrome;
        const manifest = runtime.getManifest() as { commands: Record<string, { suggested_key: { default: string } }> };
        return {
          suggested: manifest.commands['screenshot-tab']?.suggested_key.default,
          assigned: (await commands.getAll()).find((command) => command.name === 'screenshot-tab')?.shortcut,
        };
      }, undefined);
      assert.ok(assigned, 'the browser gave screenshot-tab a shortcut');
      assert.equal(assigned, suggested, 'the manifest’s suggested key');
      const page = await browser.openWebPage(site.pageUrl('shortcut'));
      await page.imagesLoaded();
      const size = await page.visibleSize();
      const requests = requestsFrom(context.sandbox);
      await browser.pressShortcut(page, assigned);
      const shown = await eventually('the toolbar popup with the capture selected', () => observer.evaluate(readToolbarPopup, undefined), 15_000);
      assert.equal(shown.popups, 1, 'one toolbar popup');
      assert.equal(shown.popupWindows, 0, 'the toolbar popup, not the window openPopup.ts falls back to');
      assert.match(shown.preview, /^Preview of Screenshot of /);
      assert.equal(shown.type, 'FEEDBACK');
      // Uploaded from that popup (through its own form, its DOM driven from the observer page), the
      // capture is the whole visible page. Two calls: preact renders the typed ID in a microtask after
      // the input event, which has run by the time the first call answers; a submit before it would
      // send the form's old state.
      await observer.evaluate(() => {
        const [view] = ((globalThis as unknown as PageGlobals).browser ?? (globalThis as unknown as PageGlobals).chrome).extension.getViews({ type: 'popup' });
        const id = view?.document.querySelector<HTMLInputElement>('form[aria-labelledby="upload-title"] input[name="id"]');
        if (!view || !id) throw new Error('the popup’s upload form is gone');
        id.value = 'scenario-shortcut';
        id.dispatchEvent(new view.Event('input', { bubbles: true }));
      }, undefined);
      await observer.evaluate(() => {
        const [view] = ((globalThis as unknown as PageGlobals).browser ?? (globalThis as unknown as PageGlobals).chrome).extension.getViews({ type: 'popup' });
        const form = view?.document.querySelector<HTMLFormElement>('form[aria-labelledby="upload-title"]');
        if (!form) throw new Error('the popup’s upload form is gone');
        form.requestSubmit();
      }, undefined);
      const [upload] = await requests.waitFor(1, { operation: 'uploadimage', timeoutMs: 15_000 });
      assert.deepEqual(upload?.query, { type: 'FEEDBACK', id: 'scenario-shortcut' });
      assert.deepEqual(await uploadedScreenshot(context.sandbox, 'scenario-shortcut'), size);
    },
  },

  {
    name: 'Popup: a pasted image address is offered, fetched by the background, and uploaded byte for byte',
    needs: ['allow-prompt'],
    async run(context) {
      const { browser, site } = context;
      await configure(context);
      const requests = requestsFrom(context.sandbox);
      const address = new URL('/picture-web.png', site.pageUrl('link')).href;
      const before = site.requests.length;
      const popup = await browser.openExtensionPage('popup.html');
      await browser.pasteText(popup, address);
      const form = popup.within('form', 'Upload image');
      await form.within('group', `Upload the image at ${address}?`).click('Get image');
      // A store build asks for the site from the click (the dev build reaches loopback already).
      if (site.asksAccess) await browser.answerPermissionPrompt(popup, 'allow');
      await form.waitForImage('Preview of picture-web.png');
      await uploadSelected(popup, { type: 'ICON', id: 'scenario-link' });
      const [upload] = await requests.waitFor(1, { operation: 'uploadimage', timeoutMs: 15_000 });
      assert.equal(upload?.query.id, 'scenario-link');
      assert.equal(upload?.bodySha256, site.images.web.sha256, 'the image the address names');
      const fetched = site.requests.slice(before).filter((request) => request.path === '/picture-web.png');
      assert.equal(fetched.length, 1, 'fetched once');
      assert.equal(fetched[0]?.headers.cookie, undefined, 'without cookies');
      assert.equal(fetched[0]?.headers.authorization, undefined, 'and never with the Glean token');
    },
  },

  {
    name: 'Popup: “Screenshot this tab” selects the capture as FEEDBACK and uploads a PNG the size of the tab, then one cropped by keyboard to the area typed',
    inFullForChromium: 'test/e2e/capture.test.ts',
    needs: ['capture-tab'],
    async run(context) {
      await configure(context);
      const requests = requestsFrom(context.sandbox);
      // The popup, opened as a tab, is the current window's active tab: the one it captures.
      const popup = await context.browser.openExtensionPage('popup.html');
      const size = await popup.evaluate(() => ({ width: Math.round(innerWidth * devicePixelRatio), height: Math.round(innerHeight * devicePixelRatio) }), undefined);
      const form = popup.within('form', 'Upload image');
      /** Screenshot this tab → its preview, type FEEDBACK; answers the capture's name, as its preview shows it. */
      const capture = async (): Promise<string> => {
        await form.click('Screenshot this tab');
        await form.waitForImage(/^Preview of Screenshot of /);
        assert.equal(await form.fieldValue('Type'), 'FEEDBACK');
        const alt = await popup.evaluate(() => document.querySelector<HTMLImageElement>('img[alt^="Preview of Screenshot of "]')?.alt ?? '', undefined);
        return alt.replace('Preview of ', '');
      };
      /** Upload under `id` → the size of the PNG Glean got, read at the URL Glean answered with. */
      const upload = async (id: string, count: number): Promise<{ width: number; height: number }> => {
        await form.fill('ID', id);
        await form.click('Upload');
        const uploads = await requests.waitFor(count, { operation: 'uploadimage', timeoutMs: 15_000 });
        const sent = uploads.at(-1);
        assert.deepEqual(sent?.query, { type: 'FEEDBACK', id });
        assert.equal(sent?.headers['content-type'], 'image/png');
        assert.ok(sent?.uploadedUrl, 'Glean took it');
        return pngSize(await uploadedBytes(context.sandbox, sent.uploadedUrl));
      };

      await capture();
      assert.deepEqual(await upload('scenario-screenshot', 1), size, 'the whole visible tab');

      // The keyboard way to crop: the area typed in pixels, then Apply crop.
      const name = await capture();
      await form.click(`Crop ${name}`);
      const crop = form.within('group', 'Crop screenshot');
      for (const [field, value] of [['Left', '10'], ['Top', '20'], ['Width', '200'], ['Height', '100']] as const) await crop.fill(field, value);
      await crop.click('Apply crop');
      await form.waitForNoButton('Apply crop');
      assert.deepEqual(await upload('scenario-screenshot-cropped', 2), { width: 200, height: 100 }, 'the area typed');
    },
  },

  {
    // One sign-in serves the whole story: the sign-in window is the slow part of a signed-in scenario.
    name: 'Sign in: “Allow” in the sign-in window from Options, a lookup and an upload go with the access token; after “Sign out” nothing is sent and the popup offers to sign in',
    inFullForChromium: 'test/e2e/signIn.test.ts',
    async run(context) {
      const { browser, sandbox, glean } = context;
      const everything = everythingFrom(sandbox);
      const requests = requestsFrom(sandbox);
      const options = await signIn(context);
      // The browser's own redirect URL (identity.getRedirectURL()), shown for administrators, is the one
      // the sign-in used; only the browser's launchWebAuthFlow can catch a redirect to that host.
      const redirectUrl = await options.fieldValue('Redirect URL');
      assert.match(redirectUrl, browser.name === 'Firefox' ? /^https:\/\/[0-9a-f]{40}\.extensions\.allizom\.org\/$/ : /^https:\/\/[a-p]{32}\.chromiumapp\.org\/$/);
      const signInRequests = everything();
      assert.equal(signInRequests.filter((r) => r.oauth?.endpoint === 'register').length, 1, 'registered once');
      const authorize = signInRequests.filter((r) => r.oauth?.endpoint === 'authorize');
      // Firefox's launchWebAuthFlow fetches the address once without a window, to see whether it
      // redirects at once, then opens its window (see answerSignInWindow in ./firefox.ts); Chrome
      // opens its window at once.
      assert.equal(authorize.length, browser.name === 'Firefox' ? 2 : 1, 'authorization requests');
      for (const request of authorize) {
        assert.equal(request.query.redirect_uri, redirectUrl);
        assert.equal(request.query.code_challenge_method, 'S256');
        assert.equal(request.query.prompt, undefined, 'the person is asked, not a silent attempt');
      }
      assert.equal(signInRequests.filter((r) => r.oauth?.endpoint === 'decision').length, 1, 'the person answered once');
      assert.equal(tokenRequests(signInRequests, 'authorization_code').length, 1);

      const { form } = await lookUpKey(browser, sandbox.samples[0]?.key ?? '');
      assert.ok((await form.waitForImage(/^Glean image/)) > 0, 'the image decodes');
      await form.waitForText('from Glean', 'status');

      const file = await pngFile('scenario-signed-in.png');
      const popup = await browser.openExtensionPage('popup.html');
      await popup.within('form', 'Upload image').setInputFiles('Image file', file.path);
      await uploadSelected(popup, { type: 'UGC', id: 'scenario-signed-in' });
      await uploadItem(popup, 'scenario-signed-in.png').waitForText('Uploaded');

      const api = requests.all();
      assert.deepEqual(
        api.map((r) => [r.operation, r.status, r.credential]),
        [
          ['images', 200, 'glean-oauth'],
          ['uploadimage', 200, 'glean-oauth'],
        ],
      );
      assert.equal(uploadsWithId(api, 'scenario-signed-in')[0]?.bodySha256, file.sha256);
      // Glean's own authorization server's tokens go as they are: no identity-provider header.
      assert.ok(api.every((r) => /^Bearer \S+$/.test(r.headers.authorization ?? '') && r.headers['x-glean-auth-type'] === undefined));

      // Options opened again, as a person comes back to it: the first one has been a background tab
      // since the popups opened, and a click there took 11.5 s in Firefox here (1.2 s on a new one):
      // the click waits for the button to be drawn, and Firefox draws a background tab rarely.
      const signingOut = everythingFrom(sandbox);
      const again = await browser.openExtensionPage('options.html');
      await again.waitForText(`Signed in to ${glean.host}`);
      const connection = again.within('form', 'Connection');
      await connection.click('Sign out');
      await connection.waitForText('Signed out.', 'status');
      // Signing out asks the server to revoke the refresh token before it answers the page.
      assert.deepEqual(
        signingOut().flatMap((r) => (r.oauth ? [r.oauth.endpoint] : [])),
        ['revoke'],
        'the refresh token was revoked',
      );

      const afterwards = everythingFrom(sandbox);
      const signedOut = await browser.openExtensionPage('popup.html');
      await signedOut.waitForButton('Sign in with Glean');
      const lookUp = signedOut.within('form', 'Look up image');
      await lookUp.fill('Key', sandbox.samples[1]?.key ?? '');
      await lookUp.click('Look up');
      // The lookup is answered without asking Glean: what it would have sent came before this answer.
      await lookUp.waitForText(/Sign in with Glean/, 'alert');
      await lookUp.waitForButton('Look up');
      assert.deepEqual(
        afterwards().map((r) => `${r.method} ${r.path}`),
        [],
        `nothing reached ${glean.host} after signing out`,
      );
    },
  },

  {
    name: 'Sign in: an access token Glean refuses as expired is refreshed once by the next lookup; a revoked refresh token, while the server still knows the person, is replaced by a silent sign-in; no error shown',
    async run(context) {
      const { browser, sandbox } = context;
      await signIn(context);

      sandbox.oauth.expireAccessTokens();
      const expiring = everythingFrom(sandbox);
      const requests = requestsFrom(sandbox);
      const first = await lookUpKey(browser, sandbox.samples[1]?.key ?? '');
      await first.form.waitForText('from Glean', 'status');
      await first.form.waitForButton('Look up');
      assert.equal(await first.form.liveText('alert'), '', 'no error shown');
      assert.equal(tokenRequests(expiring(), 'refresh_token').length, 1, 'exactly one refresh');
      assert.deepEqual(
        requests.all().map((r) => [r.operation, r.status, r.credential]),
        [
          ['images', 401, 'glean-oauth'],
          ['images', 200, 'glean-oauth'],
        ],
        'refused once with the expired token, then answered with the new one',
      );
      const [expired, renewed] = requests.all();
      assert.notEqual(expired?.headers.authorization, renewed?.headers.authorization);

      sandbox.oauth.revokeRefreshTokens();
      sandbox.oauth.expireAccessTokens();
      const revoked = everythingFrom(sandbox);
      const second = await lookUpKey(browser, sandbox.samples[2]?.key ?? '');
      await second.form.waitForText('from Glean', 'status');
      assert.equal(await second.form.liveText('alert'), '', 'no error shown');
      // The refresh is refused; the sign-in window's silent form (prompt=none) gets a new code at once.
      const oauth = revoked().filter((r) => r.oauth !== undefined);
      const silent = oauth.filter((r) => r.oauth?.endpoint === 'authorize');
      assert.ok(silent.length >= 1 && silent.every((r) => r.query.prompt === 'none' && r.status === 302), JSON.stringify(silent.map((r) => [r.query.prompt, r.status])));
      assert.equal(oauth.filter((r) => r.oauth?.endpoint === 'decision').length, 0, 'nobody answered a window');
      assert.deepEqual(
        oauth.filter((r) => r.oauth?.endpoint === 'token').map((r) => [r.oauth?.grantType, r.status]),
        [
          ['refresh_token', 400],
          ['authorization_code', 200],
        ],
      );
    },
  },

  {
    // Both failures on one Options page: each ends before the extension holds anything, so one
    // extension serves both. Registration is refused first: once a registration succeeded, the
    // extension keeps its client and would not ask again.
    name: 'Sign in: registration disabled at the server names the Redirect URL shown on Options; closing the sign-in window says so; nothing is stored either way',
    inFullForChromium: 'test/e2e/signIn.test.ts',
    async run(context) {
      const { browser, sandbox, glean } = context;
      sandbox.oauth.endSessions();
      sandbox.oauth.setRegistration('disabled');
      try {
        const everything = everythingFrom(sandbox);
        const options = await browser.openExtensionPage('options.html');
        const form = options.within('form', 'Connection');
        await form.waitForButton('Sign in with Glean');
        await form.fill('Glean instance', glean.instance);
        await form.click('Sign in with Glean');
        await form.waitForText('did not let the extension register', 'alert');
        const redirectUrl = await options.fieldValue('Redirect URL');
        assert.match(redirectUrl, /^https:\/\/\S+\/$/);
        assert.ok((await form.liveText('alert')).includes(`allow the redirect URL ${redirectUrl} `), 'the message names the Redirect URL Options shows');
        assert.deepEqual(
          everything().flatMap((r) => (r.oauth?.endpoint === 'register' ? [r.status] : [])),
          [500],
          'refused as Glean refuses it',
        );

        sandbox.oauth.setRegistration('any');
        const closing = everythingFrom(sandbox);
        await Promise.all([browser.answerSignInWindow('close'), form.click('Sign in with Glean')]);
        await form.waitForText('the sign-in window was closed', 'alert');
        await form.waitForButton('Sign in with Glean');
        assert.equal(tokenRequests(closing(), 'authorization_code').length, 0, 'no code was exchanged');
        assert.equal('gleanSignIn' in (await localStorage(options)), false, 'no sign-in stored');
        const popup = await browser.openExtensionPage('popup.html');
        await popup.waitForButton('Sign in with Glean');
      } finally {
        sandbox.oauth.setRegistration('any');
      }
    },
  },

  {
    name: 'Sign in: a revoked refresh token with no silent way back shows “Sign in again”; an upload started meanwhile waits, and completes byte for byte after signing in again from the popup',
    async run(context) {
      const { browser, sandbox } = context;
      await signIn(context);
      sandbox.oauth.revokeRefreshTokens();
      sandbox.oauth.expireAccessTokens();
      // The server forgets the person too: the silent sign-in (prompt=none) cannot succeed.
      sandbox.oauth.endSessions();
      const requests = requestsFrom(sandbox);
      const file = await pngFile('scenario-while-signed-out.png');
      const popup = await browser.openExtensionPage('popup.html');
      await popup.within('form', 'Upload image').setInputFiles('Image file', file.path);
      await uploadSelected(popup, { type: 'UGC', id: 'scenario-while-signed-out' });
      await uploadItem(popup, 'scenario-while-signed-out.png').waitForText('Waiting for sign-in');
      assert.deepEqual(uploadsWithId(requests.all(), 'scenario-while-signed-out').map((r) => r.status), [401], 'refused once with the expired token');

      const signedOut = await browser.openExtensionPage('popup.html');
      await signedOut.waitForText('Your sign-in has ended: sign in again.');
      await signedOut.waitForButton('Sign in with Glean');
      assert.equal(await signedOut.evaluate(() => {
        const scope = globalThis as unknown as PageGlobals;
        return (scope.browser ?? scope.chrome).action.getBadgeText({});
      }, undefined), '!');

      // Signed in again from the popup's own button: no Options page to open, and the same popup then
      // shows the upload done.
      await Promise.all([browser.answerSignInWindow('Allow'), signedOut.click('Sign in with Glean')]);
      await signedOut.waitForNoButton('Sign in with Glean');
      await uploadItem(signedOut, 'scenario-while-signed-out.png').waitForText('Uploaded');
      const uploads = uploadsWithId(requests.all(), 'scenario-while-signed-out');
      assert.deepEqual(uploads.map((r) => [r.status, r.credential]), [[401, 'glean-oauth'], [200, 'glean-oauth']], 'sent again only once signed in again');
      assert.equal(uploads[1]?.bodySha256, file.sha256, 'byte for byte');
    },
  },

  {
    name: 'Sign in by policy: a static client id set by the administrator signs in from Options with no registration request, and a lookup goes with its token',
    policy: ({ sandbox, glean, browserName }) => ({
      server: glean.instance,
      signInMethod: 'glean',
      oauthClientId: sandbox.oauth.addStaticClient({ redirectUriPatterns: [EXTENSION_REDIRECT_PATTERNS[browserName]] }),
    }),
    async run(context) {
      const { browser, sandbox, policy } = context;
      const everything = everythingFrom(sandbox);
      const options = await signIn(context);
      await assertPolicyRead(options, context);
      const redirectUrl = await options.fieldValue('Redirect URL');
      const { form } = await lookUpKey(browser, sandbox.samples[0]?.key ?? '');
      await form.waitForText('from Glean', 'status');

      const sent = everything();
      assert.deepEqual(sent.filter((r) => r.oauth?.endpoint === 'register'), [], 'no registration request');
      const authorize = sent.filter((r) => r.oauth?.endpoint === 'authorize');
      assert.ok(authorize.length > 0);
      for (const request of authorize) {
        assert.equal(request.query.client_id, policy?.oauthClientId, "the policy's client signed in");
        assert.equal(request.query.redirect_uri, redirectUrl);
      }
      assert.deepEqual(
        tokenRequests(sent, 'authorization_code').map((r) => r.status),
        [200],
      );
      assert.deepEqual(
        sent.filter((r) => r.operation === 'images').map((r) => [r.status, r.credential, r.headers['x-glean-auth-type']]),
        [[200, 'glean-oauth', undefined]],
      );
    },
  },

  {
    name: "Sign in by policy: the company's identity provider set by the administrator signs in from Options, and a lookup reaches Glean with its access token and X-Glean-Auth-Type: OAUTH",
    policy: ({ identityProvider, glean, browserName }) => ({
      server: glean.instance,
      signInMethod: 'idp',
      idpIssuer: identityProvider.issuer,
      idpClientId: identityProvider.addClient({ redirectUriPatterns: [EXTENSION_REDIRECT_PATTERNS[browserName]] }),
    }),
    async run(context) {
      const { browser, sandbox, identityProvider, glean, policy } = context;
      const everything = everythingFrom(sandbox);
      const atProvider = identityProvider.requests.length;
      const options = await signIn(context);
      await assertPolicyRead(options, context);
      await options.waitForText(`Signed in to ${glean.host} with your company's sign-in`);
      const { form } = await lookUpKey(browser, sandbox.samples[0]?.key ?? '');
      await form.waitForText('from Glean', 'status');

      const signedIn = identityProvider.requests.slice(atProvider);
      const authorize = signedIn.filter((r) => r.oauth?.endpoint === 'authorize');
      assert.ok(authorize.length > 0 && authorize.every((r) => r.query.client_id === policy?.idpClientId), "the policy's client signed in at the identity provider");
      assert.deepEqual(tokenRequests(signedIn, 'authorization_code').map((r) => r.status), [200]);
      const sent = everything();
      assert.deepEqual(sent.filter((r) => r.oauth !== undefined), [], "Glean's own sign-in was not used");
      const lookups = sent.filter((r) => r.operation === 'images');
      assert.deepEqual(
        lookups.map((r) => [r.status, r.credential, r.headers['x-glean-auth-type']]),
        [[200, 'idp-oauth', 'OAUTH']],
      );
      const accessToken = /^Bearer (\S+)$/.exec(lookups[0]?.headers.authorization ?? '')?.[1] ?? '';
      const status = identityProvider.accessTokenStatus(accessToken);
      assert.ok(status.known && status.valid && status.clientId === policy?.idpClientId, "the identity provider's own access token, issued to the policy's client");
    },
  },
];

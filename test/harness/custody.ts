/// <reference types="chrome" />
/**
 * The custody recorder: for a whole session of the extension, everything a secret could leak into
 * that the browser lets a test see. The replies and port messages the extension's pages receive, the
 * storage change events the browser hands them, the console of the pages and the worker, the
 * notifications, and (on demand) what a page can read by itself. Used by test/e2e/tokenCustody.test.ts
 * (an API token) and test/e2e/signInCustody.test.ts (a sign-in's access and refresh tokens).
 */
import assert from 'node:assert/strict';
import type { ConsoleMessage, Page } from 'playwright-core';
import type { Sandbox } from '../../sandbox/server.ts';
import { uploadItem } from './popup.ts';
import type { ImageSite } from './imageSite.ts';
import type { Extension } from './chromium.ts';
import { eventually } from './eventually.ts';

export interface Recorded {
  kind: 'reply' | 'port' | 'storage' | 'console' | 'notification';
  where: string;
  text: string;
}

export interface CustodyRecorder {
  /** Every event, in the order it came. */
  readonly recorded: Recorded[];
  /** What pages could read for themselves, each time `readFrom` was asked. */
  readonly readable: Array<{ where: string; text: string }>;
  /** Keeps what `page` can read by itself now (its DOM, every IndexedDB record, both storage areas), under `when`. */
  readFrom(page: Page, when: string): Promise<void>;
  /** The worker and `page` say one line each, and both are heard: the console collectors are known to work. */
  probeConsole(page: Page): Promise<void>;
}

/**
 * Runs in every extension page before its own scripts (the page's code then calls the wrapped
 * functions). A string, not a function: tsx would wrap named helpers in a `__name` the page lacks.
 */
const RECORDER = `(() => {
  if (location.protocol !== 'chrome-extension:') return;
  const record = (kind, data) => {
    let text;
    try { text = JSON.stringify(data); } catch { text = String(data); }
    void globalThis.recordForCustody(kind, location.pathname, text ?? 'undefined');
  };
  for (const api of new Set([globalThis.chrome?.runtime, globalThis.browser?.runtime].filter(Boolean))) {
    const sendMessage = api.sendMessage.bind(api);
    api.sendMessage = (...args) => {
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (reply) => { record('reply', reply); last(reply); };
        return sendMessage(...args);
      }
      const result = sendMessage(...args);
      if (result && typeof result.then === 'function') result.then((reply) => record('reply', reply), () => undefined);
      return result;
    };
    const connect = api.connect.bind(api);
    api.connect = (...args) => {
      const port = connect(...args);
      port.onMessage.addListener((message) => record('port', message));
      return port;
    };
  }
  chrome.storage.onChanged.addListener((changes, area) => record('storage', { area, changes }));
})();`;

/** Everything one extension page can read by itself: its DOM, every IndexedDB record, both storage areas. */
function readableFrom(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [document.documentElement.outerHTML];
    for (const field of Array.from(document.querySelectorAll('input, textarea'))) parts.push((field as HTMLInputElement).value);
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result as unknown[]);
          request.onerror = () => reject(request.error);
        });
        parts.push(`${name}/${store}: ${JSON.stringify(values)}`);
      }
      db.close();
    }
    parts.push(JSON.stringify(await chrome.storage.session.get(null)));
    parts.push(JSON.stringify(await chrome.storage.local.get(null)));
    return parts.join('\n');
  });
}

/** Starts recording in `extension`'s browser: call before any extension page opens. */
export async function recordCustody(extension: Extension): Promise<CustodyRecorder> {
  const recorded: Recorded[] = [];
  const readable: Array<{ where: string; text: string }> = [];
  const recordConsole =
    (where: string) =>
    async (message: ConsoleMessage): Promise<void> => {
      const args = await Promise.all(message.args().map((arg) => arg.jsonValue().then((value: unknown) => JSON.stringify(value), () => '')));
      recorded.push({ kind: 'console', where, text: [message.text(), ...args].join(' ') });
    };

  const { context } = extension;
  await context.exposeBinding('recordForCustody', (_source, kind: Recorded['kind'], where: string, text: string) => {
    recorded.push({ kind, where, text });
  });
  await context.addInitScript(RECORDER);
  context.on('console', recordConsole('page'));
  const worker = await extension.worker();
  worker.on('console', recordConsole('worker'));
  // Notifications are not in any page: their texts are recorded where they are made.
  await worker.evaluate(() => {
    const api = chrome.notifications as unknown as { create: (id: string, options: { title: string; message: string }) => Promise<string> };
    const create = api.create.bind(api);
    api.create = (id, options) => {
      console.info('notification:', options.title, options.message);
      return create(id, options);
    };
  });

  return {
    recorded,
    readable,
    async readFrom(page, when) {
      readable.push({ where: `${new URL(page.url()).pathname} (${when})`, text: await readableFrom(page) });
    },
    async probeConsole(page) {
      const heard = recorded.filter((r) => r.kind === 'console' && r.text.includes('custody probe')).length;
      await worker.evaluate(() => console.info('custody probe from the worker'));
      await page.evaluate(() => console.info('custody probe from a page'));
      await eventually('the probes in the console record', () =>
        recorded.filter((r) => r.kind === 'console' && r.text.includes('custody probe')).length >= heard + 2 ? true : undefined,
      );
    },
  };
}

/** Fails when any `kind` event holds a leak, or when fewer than `atLeast` were recorded (a recorder that heard nothing proves nothing). */
export function assertNoLeak(recorded: readonly Recorded[], kind: Recorded['kind'], atLeast: number, leaks: (text: string) => boolean): void {
  const of = recorded.filter((r) => r.kind === kind);
  assert.ok(of.length >= atLeast, `recorded ${of.length} ${kind} event(s), expected at least ${atLeast}: is the recorder working?`);
  const leaked = of.filter((r) => leaks(r.text)).map((r) => `${r.where}: ${r.text.slice(0, 300)}`);
  assert.deepEqual(leaked, []);
}

/** The forms a leak of `secret` might take: as is, in a URL, as base64 (an Authorization: Basic, a data: URL). */
export function formsOf(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64').replace(/=+$/, '')])];
}

/**
 * A right-click upload of the site's web image, run through the worker's registered menu listener:
 * the worker fetches the image from the image site, a server of its own, and uploads it with the
 * right-click defaults (whose ID is `id`) until `popup`'s "Recent uploads" shows it uploaded.
 */
export async function rightClickUpload(extension: Extension, site: ImageSite, sandbox: Sandbox, popup: Page, id: string): Promise<void> {
  const sitePage = await extension.context.newPage();
  await sitePage.goto(site.pageUrl);
  const srcUrl = await sitePage.locator('#web').evaluate((img: HTMLImageElement) => img.currentSrc);
  const worker = await extension.worker();
  await worker.evaluate(
    ({ srcUrl, pageUrl }) => {
      const info = { menuItemId: 'upload-image', srcUrl, pageUrl, mediaType: 'image', frameId: 0, editable: false };
      (chrome.contextMenus.onClicked as unknown as { dispatch(info: object, tab: object | undefined): void }).dispatch(info, undefined);
    },
    { srcUrl, pageUrl: site.pageUrl },
  );
  await eventually('the right-click upload at Glean', () => sandbox.requests.find((r) => r.query.id === id && r.status === 200));
  await uploadItem(popup, 'picture-web.png').getByText('Uploaded', { exact: true }).waitFor();
}

/**
 * Every page reads what it can (`before`), then `forget` runs (Remove token, Sign out) and they read
 * again (`after`); last, the console collectors are shown to work.
 */
export async function readAround(custody: CustodyRecorder, pages: readonly Page[], when: { before: string; after: string }, forget: () => Promise<void>): Promise<void> {
  for (const page of pages) await custody.readFrom(page, when.before);
  await forget();
  for (const page of pages) await custody.readFrom(page, when.after);
  const last = pages.at(-1);
  if (last) await custody.probeConsole(last);
}

/** The image cache as tests see it: images put straight into the sandbox, what Options says the cache
 * holds, and the status lines a popup showed. */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { encodePng } from '../../sandbox/png.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import type { CacheStats } from '../../src/shared/messages.ts';

/** Random pixels: PNG cannot compress them, so the file is about width × height × 3 bytes. */
export function noisePng(width: number, height: number): Buffer {
  const noise = randomBytes(width * height * 3);
  return encodePng(width, height, (x, y) => {
    const at = (y * width + x) * 3;
    return [noise[at] ?? 0, noise[at + 1] ?? 0, noise[at + 2] ?? 0];
  });
}

/** Uploads straight to the sandbox, as another Glean client would; answers the image's key. */
export async function putInSandbox(sandbox: Sandbox, id: string, png: Buffer): Promise<string> {
  const response = await fetch(`${sandbox.url}/rest/api/v1/uploadimage?type=UGC&id=${encodeURIComponent(id)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'image/png' },
    body: new Uint8Array(png),
  });
  const { url } = (await response.json()) as { url: string };
  const key = new URL(url).searchParams.get('key');
  if (!key) throw new Error(`the sandbox answered ${response.status} without a key`);
  return key;
}

/**
 * Every record of one of idb-keyval's stores (the upload jobs), read from an extension page. Creates
 * the store if the database is new, as idb-keyval would: an empty database left behind would break the extension's.
 */
export function readStore<T>(page: Page, [database, store]: readonly [string, string]): Promise<T[]> {
  return page.evaluate(
    ([database, store]) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onupgradeneeded = () => open.result.createObjectStore(store);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(store, 'readonly').objectStore(store).getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as T[]);
          };
        };
      }),
    [database, store] as const,
  );
}

/** What the cache holds, as Options' "Image cache" section shows it. */
export async function cacheStats(page: Page): Promise<CacheStats> {
  const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'cache/stats', payload: null }));
  if (!reply?.ok) throw new Error(`cache/stats failed: ${JSON.stringify(reply)}`);
  return reply.value as CacheStats;
}

/** Starts noting every text the page's status lines show, so a test can say one never appeared. */
export async function watchStatuses(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    Object.assign(window, { seenStatuses: seen });
    new MutationObserver(() => {
      const text = Array.from(document.querySelectorAll('[role="status"]'), (element) => element.textContent ?? '')
        .filter((line) => line !== '')
        .join(' | ');
      if (text !== '' && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { seenStatuses: string[] }).seenStatuses);
}

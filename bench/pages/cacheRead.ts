/**
 * A page added to a copy of the dev build for bench/cache.ts: the popup's cache hit (the worker's
 * answer to a cache-only image address) and a raw IndexedDB read, each followed by the same render
 * (an img, decoded), timed in the page itself.
 */
import { imageAddress } from '../../src/shared/imageAddress.ts';
import { fetchImage } from '../../src/shared/ask.ts';
import { CACHE_DATABASE } from '../../src/worker/cache/imageCache.ts';

async function render(blob: Blob): Promise<void> {
  const img = new Image();
  img.src = URL.createObjectURL(blob);
  document.body.append(img);
  await img.decode();
  img.remove();
  URL.revokeObjectURL(img.src);
}

/** Kept open between runs, as the worker keeps its connection open. */
const database = new Promise<IDBDatabase>((resolve, reject) => {
  const open = indexedDB.open(CACHE_DATABASE.name);
  open.onsuccess = () => resolve(open.result);
  open.onerror = () => reject(open.error);
});

async function cacheHit(key: string): Promise<number> {
  const started = performance.now();
  const hit = await fetchImage(imageAddress({ key }, { cacheOnly: true }));
  await render(hit.blob);
  return performance.now() - started;
}

async function rawRead(blobId: string): Promise<number> {
  const db = await database;
  const started = performance.now();
  const blob = await new Promise<Blob>((resolve, reject) => {
    const request = db.transaction(CACHE_DATABASE.blobs, 'readonly').objectStore(CACHE_DATABASE.blobs).get(blobId);
    request.onsuccess = () => resolve(request.result as Blob);
    request.onerror = () => reject(request.error);
  });
  await render(blob);
  return performance.now() - started;
}

Object.assign(window, { cacheHit, rawRead });

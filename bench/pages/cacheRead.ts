/**
 * A page added to a copy of the dev build for bench/cache.ts: the popup's cache read and a raw
 * IndexedDB read, each followed by the same render (an img, decoded), timed in the page itself.
 */
import { CACHE_DATABASES } from '../../src/shared/cacheEntry.ts';
import { findCachedImage } from '../../src/shared/cacheReader.ts';

async function render(blob: Blob): Promise<void> {
  const img = new Image();
  img.src = URL.createObjectURL(blob);
  document.body.append(img);
  await img.decode();
  img.remove();
  URL.revokeObjectURL(img.src);
}

/** Kept open between runs, as idb-keyval keeps the cache reader's connection open. */
const blobs = new Promise<IDBDatabase>((resolve, reject) => {
  const open = indexedDB.open(CACHE_DATABASES.blobs[0]);
  open.onsuccess = () => resolve(open.result);
  open.onerror = () => reject(open.error);
});

async function cacheHit(key: string): Promise<number> {
  const started = performance.now();
  const hit = await findCachedImage({ key });
  if (!hit) throw new Error(`no cache hit for key ${key}`);
  await render(hit.blob);
  return performance.now() - started;
}

async function rawRead(blobId: string): Promise<number> {
  const db = await blobs;
  const started = performance.now();
  const blob = await new Promise<Blob>((resolve, reject) => {
    const request = db.transaction(CACHE_DATABASES.blobs[1], 'readonly').objectStore(CACHE_DATABASES.blobs[1]).get(blobId);
    request.onsuccess = () => resolve(request.result as Blob);
    request.onerror = () => reject(request.error);
  });
  await render(blob);
  return performance.now() - started;
}

Object.assign(window, { cacheHit, rawRead });

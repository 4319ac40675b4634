/**
 * The pages' read-only view of the image cache. Pages share the extension's origin, so they read
 * IndexedDB directly: a cached image shows before any message round trip, and bytes never travel in
 * a message. Only the worker writes, including the partition id it publishes in `storage.local`.
 */
import { createStore, get } from 'idb-keyval';
import browser from 'webextension-polyfill';
import { blobId, CACHE_DATABASES, entryId, isExpired, PARTITION_KEY, queryKey, type CacheEntry } from './cacheEntry.ts';
import type { ImageQuery } from './imageMetadata.ts';

const entries = createStore(...CACHE_DATABASES.entries);
const blobs = createStore(...CACHE_DATABASES.blobs);

export interface CachedImage {
  entry: CacheEntry;
  /** The full-size original when it is kept, else the thumbnail. */
  blob: Blob;
  isThumbnail: boolean;
}

/** An entry by id (a lookup's `imageId`); undefined when absent or expired. */
export async function readCachedImage(id: string): Promise<CachedImage | undefined> {
  // All three at once: the Blobs are only handles until read, and one round trip beats three.
  const [entry, original, thumbnail] = await Promise.all([
    get<CacheEntry>(id, entries),
    get<Blob>(blobId(id, 'original'), blobs),
    get<Blob>(blobId(id, 'thumbnail'), blobs),
  ]);
  if (!entry || isExpired(entry, Date.now())) return undefined;
  if (entry.original && original) return { entry, blob: original, isThumbnail: false };
  if (entry.thumbnail && thumbnail) return { entry, blob: thumbnail, isThumbnail: true };
  return undefined;
}

const asPartition = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The partition the worker published, read as soon as a page loads this module (a lookup then waits
 * on no storage round trip) and kept current should the settings change while the page is open.
 */
let partition: Promise<string | null> = browser.storage.local.get(PARTITION_KEY).then(
  (items) => asPartition(items[PARTITION_KEY]),
  () => null,
);
browser.storage.onChanged.addListener((changes, area) => {
  const change = changes[PARTITION_KEY];
  if (area === 'local' && change) partition = Promise.resolve(asPartition(change.newValue));
});

/**
 * What the cache holds for a lookup (or an upload's `{ key }`) under the current server and identity;
 * undefined when nothing is cached or no partition is published (not set up yet).
 */
export async function findCachedImage(query: ImageQuery): Promise<CachedImage | undefined> {
  const current = await partition;
  return current === null ? undefined : readCachedImage(entryId(current, queryKey(query)));
}

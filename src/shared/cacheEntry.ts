/**
 * The image cache's records and names, shared by the worker (the only writer) and the pages (which
 * read it directly: they share the extension's origin, so a hit shows before any message round trip).
 */
import type { ImageQuery } from './imageMetadata.ts';

export const CACHE_VERSION = 1;

/** Two databases because idb-keyval's createStore opens a database with exactly one object store. */
export const CACHE_DATABASES = {
  entries: ['glean-images-cache-entries', 'entries'],
  blobs: ['glean-images-cache-blobs', 'blobs'],
} as const;

/** `storage.local` key under which the worker publishes the current partition id (null: none). */
export const PARTITION_KEY = 'cachePartition';

export const BYTES_PER_MB = 1024 * 1024;
/** The byte budget, settable in Options as "Cache size (MB)". */
export const DEFAULT_BUDGET_MB = 50;
/** Below 1 MB the cache could not hold even a handful of thumbnails. */
export const MIN_BUDGET_MB = 1;
/** Far below what browsers grant an extension origin (a share of the disk), yet plenty for thumbnails. */
export const MAX_BUDGET_MB = 2048;

/** An entry older than this is neither shown nor kept: Glean may have replaced the image since. */
export const CACHE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** One stored copy of an image: its media type and size in bytes. */
export interface CachedCopy {
  contentType: string;
  bytes: number;
}

export interface CacheEntry {
  version: typeof CACHE_VERSION;
  /** `<partition> <query key>`: see `entryId`. */
  id: string;
  /** The non-secret server-and-identity id (src/worker/partition.ts). */
  partition: string;
  query: string;
  /** The image as Glean has it. */
  contentType: string;
  size: number;
  /** SHA-256 of the image's bytes, in hex: tells a refresh that changed the image from one that did not. */
  digest: string;
  /** At most 256 px on its longest side; null when the original is small enough or was not decoded. */
  thumbnail: CachedCopy | null;
  /** The image as Glean sent it; null when it was not kept (an upload) or was evicted. */
  original: CachedCopy | null;
  /** When Glean (or an upload) last gave us these bytes: expiry counts from here. */
  storedAt: number;
  /** When a lookup last used the entry: least recently used goes first. */
  usedAt: number;
}

export type CopyKind = 'thumbnail' | 'original';

/** One canonical string per image: the same lookup typed twice shares a request and a cache entry. */
export function queryKey(query: ImageQuery): string {
  if ('key' in query) return `key=${query.key}`;
  const { type = '', id = '', ds = '', cid = '' } = query.metadata;
  return new URLSearchParams({ type, id: id.trim(), ds: ds.trim(), cid: cid.trim() }).toString();
}

export const entryId = (partition: string, query: string): string => `${partition} ${query}`;

export const blobId = (entry: string, kind: CopyKind): string => `${entry}#${kind}`;

export const isExpired = (entry: CacheEntry, now: number): boolean => now - entry.storedAt > CACHE_MAX_AGE_MS;

/** Bytes an entry holds in IndexedDB; the budget counts these. */
export const entryBytes = (entry: CacheEntry): number => (entry.thumbnail?.bytes ?? 0) + (entry.original?.bytes ?? 0);

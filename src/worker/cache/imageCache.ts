/**
 * The image cache: one IndexedDB database whose records and Blobs are written together, in one
 * transaction, with the eviction that follows (cachePolicy.ts). Raw IndexedDB, not idb-keyval: its
 * `createStore` opens one store per database, and a record written apart from its Blob (or evicted
 * apart from it) is how the cache this replaces needed a write queue, an in-memory index and an orphan
 * sweep. IndexedDB runs overlapping read-write transactions one after another, so nothing else is
 * needed for two lookups finishing together (https://www.w3.org/TR/IndexedDB/#transaction-scheduling).
 */
import { CACHE_MAX_AGE_MS } from '../../shared/cacheLimits.ts';
import { planEviction } from './cachePolicy.ts';
import { StorageFull } from './storageFull.ts';

/** Entry records; their Blobs, under `<entry id>#original` and `#thumbnail`; the current partition under "partition". */
export const CACHE_DATABASE = { name: 'glean-images-image-cache', entries: 'entries', blobs: 'blobs', meta: 'meta' } as const;
const { name: DATABASE, entries: ENTRIES, blobs: BLOBS, meta: META } = CACHE_DATABASE;
/** The two databases earlier versions kept the cache in (idb-keyval, one store each); a cache may be dropped, so they are deleted. */
export const OLD_DATABASES = ['glean-images-cache-entries', 'glean-images-cache-blobs'];

export interface CacheEntry {
  /** `<partition> <query key>` */
  id: string;
  /** The non-secret server-and-identity id (src/worker/partition.ts). */
  partition: string;
  query: string;
  /** The image as Glean has it. */
  contentType: string;
  size: number;
  /** Bytes of the stored copies; 0 when absent. The thumbnail is at most 256 px on its longest side. */
  thumbnail: number;
  original: number;
  /** When Glean (or an upload) gave us these bytes: expiry counts from here. */
  storedAt: number;
  /** When a lookup last used it: least recently used goes first. */
  usedAt: number;
}

export interface CachedImage {
  entry: CacheEntry;
  /** The original when it is kept, else the thumbnail. */
  blob: Blob;
  isThumbnail: boolean;
}

/** An image to file under one or more lookups (an upload is found by its metadata and by its key). */
export interface ImageToKeep {
  partition: string;
  queries: readonly string[];
  contentType: string;
  size: number;
  thumbnail: Blob | null;
  original: Blob | null;
}

export interface ImageCacheDeps {
  indexedDB: IDBFactory;
  /** The byte budget now (Options' "Cache size", or the policy's). */
  budget: () => Promise<number>;
  now: () => number;
}

interface Stores {
  entries: IDBObjectStore;
  blobs: IDBObjectStore;
  meta: IDBObjectStore;
}

export const entryId = (partition: string, query: string): string => `${partition} ${query}`;
export const entryBytes = (entry: CacheEntry): number => entry.thumbnail + entry.original;
export const isExpired = (entry: CacheEntry, now: number): boolean => now - entry.storedAt > CACHE_MAX_AGE_MS;

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

const isQuotaError = (error: unknown): boolean => error instanceof DOMException && error.name === 'QuotaExceededError';

export function createImageCache({ indexedDB, budget, now }: ImageCacheDeps) {
  let database: Promise<IDBDatabase> | undefined;
  function open(): Promise<IDBDatabase> {
    if (database) return database;
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => {
      for (const store of [ENTRIES, BLOBS, META]) request.result.createObjectStore(store);
      for (const old of OLD_DATABASES) indexedDB.deleteDatabase(old);
    };
    database = done(request).then((db) => {
      // Another version of the extension upgrading, or the browser clearing site data: open anew next time.
      db.onversionchange = db.onclose = () => {
        db.close();
        database = undefined;
      };
      return db;
    });
    return database;
  }

  /** Runs `work` in one transaction over all three stores; resolves once it has committed. */
  async function transaction<T>(mode: IDBTransactionMode, work: (stores: Stores) => Promise<T> | T): Promise<T> {
    const tx = (await open()).transaction([ENTRIES, BLOBS, META], mode);
    const committed = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
    });
    committed.catch(() => undefined);
    const stores = { entries: tx.objectStore(ENTRIES), blobs: tx.objectStore(BLOBS), meta: tx.objectStore(META) };
    try {
      const result = await work(stores);
      await committed;
      return result;
    } catch (error) {
      if (!tx.error) tx.abort();
      await committed.catch(() => undefined);
      throw tx.error ?? error;
    }
  }

  function remove(stores: Stores, ids: readonly string[]): void {
    for (const id of ids) {
      stores.entries.delete(id);
      stores.blobs.delete(`${id}#original`);
      stores.blobs.delete(`${id}#thumbnail`);
    }
  }

  /** The policy over every entry, in the transaction that wrote (or is about to write) them. */
  async function evict(stores: Stores, partition: string | null, budgetBytes: number, keep: readonly string[] = []) {
    const all = await done(stores.entries.getAll() as IDBRequest<CacheEntry[]>);
    const plan = planEviction(all, { budgetBytes, now: now(), partition, keep });
    remove(stores, plan.entries);
    const byId = new Map(all.map((entry) => [entry.id, entry]));
    for (const id of plan.originals) {
      const entry = byId.get(id);
      if (entry) stores.entries.put({ ...entry, original: 0 }, id);
      stores.blobs.delete(`${id}#original`);
    }
    return plan;
  }

  function write(image: ImageToKeep, budgetBytes: number): Promise<boolean> {
    return transaction('readwrite', async (stores) => {
      // A write that started under another identity (a lookup's late thumbnail, an upload that ended
      // after the token changed) must not file that identity's image under this one's cache.
      if ((await done(stores.meta.get('partition'))) !== image.partition) return false;
      const at = now();
      const ids = image.queries.map((query) => entryId(image.partition, query));
      image.queries.forEach((query, i) => {
        const id = ids[i] as string;
        const entry: CacheEntry = {
          id,
          partition: image.partition,
          query,
          contentType: image.contentType,
          size: image.size,
          thumbnail: image.thumbnail?.size ?? 0,
          original: image.original?.size ?? 0,
          storedAt: at,
          usedAt: at,
        };
        stores.entries.put(entry, id);
        for (const [kind, blob] of [['original', image.original], ['thumbnail', image.thumbnail]] as const) {
          if (blob) stores.blobs.put(blob, `${id}#${kind}`);
          else stores.blobs.delete(`${id}#${kind}`);
        }
      });
      await evict(stores, image.partition, budgetBytes, ids);
      return true;
    });
  }

  return {
    /** Files the cache under this partition; the previous identity's entries go in the same transaction. */
    usePartition(partition: string | null): Promise<void> {
      return transaction('readwrite', async (stores) => {
        if ((await done(stores.meta.get('partition'))) === partition) return;
        stores.meta.put(partition, 'partition');
        const all = await done(stores.entries.getAll() as IDBRequest<CacheEntry[]>);
        remove(stores, all.filter((entry) => entry.partition !== partition).map((entry) => entry.id));
      });
    },

    /** The live image for a lookup; marked as just used after it is answered. */
    async read(partition: string, query: string): Promise<CachedImage | undefined> {
      const id = entryId(partition, query);
      const [entry, original, thumbnail] = await transaction('readonly', (stores) =>
        Promise.all([
          done(stores.entries.get(id) as IDBRequest<CacheEntry | undefined>),
          done(stores.blobs.get(`${id}#original`) as IDBRequest<Blob | undefined>),
          done(stores.blobs.get(`${id}#thumbnail`) as IDBRequest<Blob | undefined>),
        ]),
      );
      const blob = original ?? thumbnail;
      if (!entry || !blob || isExpired(entry, now())) return undefined;
      void transaction('readwrite', async (stores) => {
        const current = await done(stores.entries.get(id) as IDBRequest<CacheEntry | undefined>);
        if (current) stores.entries.put({ ...current, usedAt: now() }, id);
      }).catch(() => undefined);
      return { entry, blob, isThumbnail: !original };
    },

    /**
     * Stores an image (only under the current partition) and evicts what the policy says, in one
     * transaction. On a QuotaExceededError it makes room (half of what it holds) and tries once more;
     * a second failure is a `StorageFull`, never a crash. Answers whether the image was filed.
     */
    async put(image: ImageToKeep): Promise<boolean> {
      const budgetBytes = await budget();
      try {
        return await write(image, budgetBytes);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
      }
      await transaction('readwrite', async (stores) => {
        const all = await done(stores.entries.getAll() as IDBRequest<CacheEntry[]>);
        const held = all.reduce((sum, entry) => sum + entryBytes(entry), 0);
        await evict(stores, image.partition, Math.min(budgetBytes, Math.floor(held / 2)));
      });
      try {
        return await write(image, budgetBytes);
      } catch (error) {
        throw isQuotaError(error) ? new StorageFull({ cause: error }) : error;
      }
    },

    /** Drops what is filed under these lookups (Glean said the image is gone, or an upload replaced it). */
    forget(partition: string, queries: readonly string[]): Promise<void> {
      return transaction('readwrite', (stores) => remove(stores, queries.map((query) => entryId(partition, query))));
    },

    /** The policy over everything: the hourly sweep (expiry), and a new budget. */
    async sweep(partition: string | null): Promise<void> {
      const budgetBytes = await budget();
      await transaction('readwrite', (stores) => evict(stores, partition, budgetBytes));
    },

    clear(): Promise<void> {
      return transaction('readwrite', (stores) => {
        stores.entries.clear();
        stores.blobs.clear();
      });
    },

    async stats(): Promise<{ entries: number; bytes: number }> {
      const all = await transaction('readonly', (stores) => done(stores.entries.getAll() as IDBRequest<CacheEntry[]>));
      return { entries: all.length, bytes: all.reduce((sum, entry) => sum + entryBytes(entry), 0) };
    },
  };
}

export type ImageCache = ReturnType<typeof createImageCache>;

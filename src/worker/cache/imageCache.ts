/**
 * The image cache in IndexedDB: entry records in one store, their Blobs in another, the policy of
 * cachePolicy.ts applied after every write. Only the worker writes it; pages read it (cacheReader.ts).
 * Operations run one at a time, so that two lookups finishing together never plan evictions over
 * each other's half-written entries.
 */
import { clear, delMany, keys, set, setMany, values, type UseStore } from 'idb-keyval';
import {
  blobId,
  BYTES_PER_MB,
  CACHE_VERSION,
  DEFAULT_BUDGET_MB,
  entryBytes,
  entryId,
  isExpired,
  PARTITION_KEY,
  type CacheEntry,
  type CopyKind,
} from '../../shared/cacheEntry.ts';
import type { CacheStats } from '../../shared/messages.ts';
import type { KeyValueArea } from '../settings.ts';
import { budgetAfterQuotaError, planEviction } from './cachePolicy.ts';
import { StorageFull } from './storageFull.ts';

const BUDGET_KEY = 'cacheBudgetBytes';

export interface ImageCacheDeps {
  entries: UseStore;
  blobs: UseStore;
  /** `storage.local`: where the partition is published and the budget kept. */
  local: KeyValueArea;
  now: () => number;
}

/** An image to file under one or more lookups (an upload is found by its metadata and by its key). */
export interface ImageToKeep {
  partition: string;
  queries: readonly string[];
  contentType: string;
  size: number;
  /** The SHA-256 of the image; may still be being computed, as only the record, written after the Blobs, needs it. */
  digest: string | Promise<string>;
  thumbnail: Blob | null;
  original: Blob | null;
}

const KINDS: readonly CopyKind[] = ['thumbnail', 'original'];

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

export function createImageCache({ entries, blobs, local, now }: ImageCacheDeps) {
  /**
   * Every entry record as stored, loaded by one scan when the worker first needs it and kept in step
   * by each write below (only this module writes, one write at a time): planning an eviction then
   * reads nothing from IndexedDB. A restarted worker rebuilds it, and so does any failed write.
   */
  let index: Promise<Map<string, CacheEntry>> | undefined;
  function records(): Promise<Map<string, CacheEntry>> {
    index ??= values<CacheEntry>(entries).then((all) => new Map(all.map((entry) => [entry.id, entry])));
    return index;
  }

  let tail: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = tail.then(work, work).catch((error: unknown) => {
      index = undefined;
      known = undefined;
      throw error;
    });
    tail = run.catch(() => undefined);
    return run;
  }

  async function publishedPartition(): Promise<string | null> {
    const { [PARTITION_KEY]: partition } = await local.get(PARTITION_KEY);
    return typeof partition === 'string' ? partition : null;
  }

  /**
   * The published partition as this worker last read or wrote it (only this module writes it), for
   * `put`'s check: a lookup's `usePartition`, queued just before its put, read it a moment ago, and
   * reading it again cost every cache miss about 3 ms (measured on the bench's cache-miss lookup).
   * `usePartition` itself always reads storage, so should `storage.local` be cleared behind the
   * worker's back, the next lookup or settings change publishes the partition again.
   */
  let known: Promise<string | null> | undefined;

  async function budget(): Promise<number> {
    const { [BUDGET_KEY]: bytes } = await local.get(BUDGET_KEY);
    return typeof bytes === 'number' && bytes > 0 ? bytes : DEFAULT_BUDGET_MB * BYTES_PER_MB;
  }

  const copiesOf = (entry: CacheEntry): string[] => KINDS.filter((kind) => entry[kind]).map((kind) => blobId(entry.id, kind));

  async function deleteEntries(ids: readonly string[]): Promise<void> {
    const map = await records();
    const gone = ids.flatMap((id) => map.get(id) ?? []);
    if (gone.length === 0) return;
    // Both stores at once (each delete costs a round trip, so this halves the time): a page that
    // reads a record whose Blob is already gone takes it for a miss (see cacheReader.ts).
    await Promise.all([
      delMany(
        gone.map((entry) => entry.id),
        entries,
      ),
      delMany(gone.flatMap(copiesOf), blobs),
    ]);
    for (const entry of gone) map.delete(entry.id);
  }

  /** Applies the policy; `budgetBytes` overrides the saved budget (after a quota error). */
  async function evict(partition: string | null, keep: readonly string[] = [], budgetBytes?: number): Promise<void> {
    const map = await records();
    const plan = planEviction([...map.values()], { budgetBytes: budgetBytes ?? (await budget()), now: now(), partition, keep });
    await deleteEntries(plan.entries);
    if (plan.originals.length === 0) return;
    const updated = plan.originals.flatMap((id) => {
      const entry = map.get(id);
      return entry ? [{ ...entry, original: null }] : [];
    });
    await setMany(
      updated.map((entry): [string, CacheEntry] => [entry.id, entry]),
      entries,
    );
    for (const entry of updated) map.set(entry.id, entry);
    await delMany(
      updated.map((entry) => blobId(entry.id, 'original')),
      blobs,
    );
  }

  async function write(image: ImageToKeep): Promise<CacheEntry[]> {
    const map = await records();
    const at = now();
    const filed = image.queries.map((query) => ({ query, id: entryId(image.partition, query) }));
    const copies = { thumbnail: image.thumbnail, original: image.original };
    // Blobs before records, so that a record never points at a Blob not yet written.
    await setMany(
      filed.flatMap(({ id }) =>
        KINDS.flatMap((kind): Array<[string, Blob]> => {
          const blob = copies[kind];
          return blob ? [[blobId(id, kind), blob]] : [];
        }),
      ),
      blobs,
    );
    const digest = await image.digest;
    const written = filed.map(
      ({ query, id }): CacheEntry => ({
        version: CACHE_VERSION,
        id,
        partition: image.partition,
        query,
        contentType: image.contentType,
        size: image.size,
        digest,
        thumbnail: image.thumbnail && { contentType: image.thumbnail.type, bytes: image.thumbnail.size },
        original: image.original && { contentType: image.contentType, bytes: image.original.size },
        storedAt: at,
        usedAt: at,
      }),
    );
    // A copy the previous entry had and this one lacks would otherwise linger unaccounted for.
    const dropped = written.flatMap((entry) => {
      const previous = map.get(entry.id);
      return previous ? KINDS.filter((kind) => previous[kind] && !copies[kind]).map((kind) => blobId(entry.id, kind)) : [];
    });
    await setMany(
      written.map((entry): [string, CacheEntry] => [entry.id, entry]),
      entries,
    );
    for (const entry of written) map.set(entry.id, entry);
    // Only when there is something to drop: even an empty delete costs a transaction (about 1 ms).
    if (dropped.length > 0) await delMany(dropped, blobs);
    return written;
  }

  return {
    /**
     * Files the cache under this partition; when it changed (another token, server or act-as user),
     * the previous identity's entries are deleted before the new id is published to the pages.
     */
    usePartition(partition: string | null): Promise<void> {
      return oneAtATime(async () => {
        const published = await publishedPartition();
        known = Promise.resolve(published);
        if (published === partition) return;
        const map = await records();
        await deleteEntries([...map.values()].filter((entry) => entry.partition !== partition).map((entry) => entry.id));
        await local.set({ [PARTITION_KEY]: partition });
        known = Promise.resolve(partition);
      });
    },

    /** The live entry for a lookup, marked as just used; undefined when absent or expired. */
    use(partition: string, query: string): Promise<CacheEntry | undefined> {
      return oneAtATime(async () => {
        const map = await records();
        const entry = map.get(entryId(partition, query));
        if (!entry || isExpired(entry, now())) return undefined;
        const used = { ...entry, usedAt: now() };
        await set(used.id, used, entries);
        map.set(used.id, used);
        return used;
      });
    },

    /**
     * Stores an image (only under the published partition) and then evicts what the policy says. On a QuotaExceededError it evicts to
     * make room and tries once more; a second failure is a `StorageFull`, never a crash.
     */
    put(image: ImageToKeep): Promise<CacheEntry[]> {
      return oneAtATime(async () => {
        // Read alongside the partition check and the write, not after them: only the eviction that
        // ends this put needs it, and only setBudget changes it (queued like this put).
        const budgetBytes = budget();
        budgetBytes.catch(() => undefined); // Awaited below; this only covers a put that ends before.
        // A write that started under another identity (a lookup's late thumbnail, an upload that
        // ended after the token changed) must not file that identity's image under this one's cache.
        if ((await (known ??= publishedPartition())) !== image.partition) return [];
        let written: CacheEntry[];
        try {
          written = await write(image);
        } catch (error) {
          if (!isQuotaError(error)) throw error;
          const held = [...(await records()).values()].reduce((sum, entry) => sum + entryBytes(entry), 0);
          await evict(image.partition, [], budgetAfterQuotaError(held, await budget()));
          try {
            written = await write(image);
          } catch (again) {
            if (!isQuotaError(again)) throw again;
            throw new StorageFull({ cause: again });
          }
        }
        await evict(
          image.partition,
          written.map((entry) => entry.id),
          await budgetBytes,
        );
        return written;
      });
    },

    /** Drops what is filed under these lookups (an upload replaced the image with one not kept). */
    forget(partition: string, queries: readonly string[]): Promise<void> {
      return oneAtATime(() => deleteEntries(queries.map((query) => entryId(partition, query))));
    },

    /** The alarm's sweep: the policy over every entry, then any Blob whose record is gone. */
    sweep(partition: string | null): Promise<void> {
      return oneAtATime(async () => {
        // Rebuilt from IndexedDB, not trusted from memory: the sweep is the check on everything else.
        index = undefined;
        await evict(partition);
        const kept = new Set([...(await records()).values()].flatMap(copiesOf));
        await delMany(
          (await keys<string>(blobs)).filter((id) => !kept.has(id)),
          blobs,
        );
      });
    },

    clear(): Promise<void> {
      return oneAtATime(async () => {
        await clear(entries);
        await clear(blobs);
        index = Promise.resolve(new Map());
      });
    },

    setBudget(bytes: number, partition: string | null): Promise<void> {
      return oneAtATime(async () => {
        await local.set({ [BUDGET_KEY]: bytes });
        await evict(partition);
      });
    },

    stats(): Promise<CacheStats> {
      return oneAtATime(async () => {
        const all = [...(await records()).values()];
        return {
          entries: all.length,
          bytes: all.reduce((sum, entry) => sum + entryBytes(entry), 0),
          budgetBytes: await budget(),
        };
      });
    },
  };
}

export type ImageCache = ReturnType<typeof createImageCache>;

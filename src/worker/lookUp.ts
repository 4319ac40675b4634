/**
 * Looking an image up: the connection from settings, one shared request per identical lookup, the
 * lookup retry policy, and a copy filed in the cache while the page shows the image. When Glean cannot
 * be reached, the cached copy answers instead; when Glean says the image is gone, so is the copy.
 */
import type { FetchedImage, GleanClient } from '../glean/client.ts';
import { LOOKUP_RETRY, retrying } from '../glean/retryPolicy.ts';
import { GleanError } from '../glean/gleanError.ts';
import { createRequestPool, type RequestPool } from '../glean/sharedRequests.ts';
import { queryKey } from '../shared/imageAddress.ts';
import type { ImageQuery } from '../shared/imageMetadata.ts';
import type { CachedImage, ImageCache } from './cache/imageCache.ts';
import type { KeepImage } from './cache/keepImage.ts';
import { partitionOf } from './partition.ts';
import type { Clock } from './clock.ts';
import type { Connection } from './settings.ts';
import type { JobBinding } from '../shared/uploadJob.ts';
import { renewingOnce, type Renew } from './signIn/renewing.ts';
import { logWarning } from '../shared/logFailure.ts';

export interface LookUpDeps {
  connection: () => Promise<Connection>;
  /** Whose images the cache shows without asking Glean (a sign-in that ended included); null: nobody's. */
  whose: () => Promise<JobBinding | null>;
  /** A renewed sign-in after Glean refused its access token (401). */
  renew: Renew;
  client: GleanClient;
  pool: RequestPool;
  clock: Clock;
  cache: ImageCache;
  keepImage: KeepImage;
}

export interface FoundImage {
  /** The original, or the thumbnail when that is all the cache kept. */
  blob: Blob;
  /** The image as Glean has it. */
  contentType: string;
  size: number;
  isThumbnail: boolean;
  source: 'glean' | 'cache';
}

/**
 * A page loading an image address many times at once (50 copies of one avatar) reaches the worker
 * spread out: its 50 fetches arrive over about 200 ms, longer than a GET to a nearby server takes.
 * Glean's answer that came this recently answers those page loads too, so they still make one GET
 * (bench/lookups.ts); an upload or "Clear cache" forgets them all (`askGleanAgain`). A person's Look up
 * always asks Glean.
 */
const REUSE_ANSWER_MS = 2_000;

const fromCache = ({ blob, entry, isThumbnail }: CachedImage): FoundImage => ({ blob, contentType: entry.contentType, size: entry.size, isThumbnail, source: 'cache' });

export function createLookUp({ connection, whose, renew, client, pool, clock, cache, keepImage }: LookUpDeps) {
  // Identical lookups share everything, the cache's bookkeeping included, not only the GET. Each
  // caller's signal still ends only its own wait. Their own pools: a lookup holding a slot of the Glean
  // pool while its GET waits for another slot could deadlock. A person's Look up (from a page with a
  // session, src/popup/session.ts) shares only a lookup in flight; a page's loads also a recent answer,
  // Glean's only: the cache's, when Glean could not be reached, is no reason not to ask again.
  const asked = createRequestPool<FoundImage>(Number.MAX_SAFE_INTEGER);
  const loaded = createRequestPool<FoundImage>(Number.MAX_SAFE_INTEGER, (found) => (found.source === 'glean' ? REUSE_ANSWER_MS : 0), clock.now);

  /** `session`: the asking page's (src/popup/session.ts), '' for a page that only loads the address. */
  async function lookUp(query: ImageQuery, signal: AbortSignal, session = ''): Promise<FoundImage> {
    const conn = await connection();
    const partition = await partitionOf({ server: conn.baseUrl, identity: conn.identity });
    const key = queryKey(query);
    return (session ? asked : loaded).run(`${partition} ${key}`, (shared) => lookUpShared(conn, partition, query, key, shared), signal);
  }

  async function lookUpShared(conn: Connection, partition: string, query: ImageQuery, key: string, signal: AbortSignal): Promise<FoundImage> {
    let image: FetchedImage;
    try {
      image = await retrying(
        LOOKUP_RETRY,
        // Shared only between lookups as the same identity: another identity's GET may answer otherwise.
        () => pool.run(`${partition} ${key}`, (shared) => renewingOnce(conn, (fresh) => client.getImage(fresh, query, { signal: shared }), renew), signal),
        { ...clock, signal },
      );
    } catch (error) {
      if (!(error instanceof GleanError)) throw error;
      if (error.code === 'not-found') await cache.forget(partition, [key]);
      const cached = error.retryable ? await cache.read(partition, key) : undefined;
      if (cached) return fromCache(cached);
      throw error;
    }
    // Filed while the page shows it: nothing on the way to the screen waits for IndexedDB.
    void cache
      .usePartition(partition)
      .then(() => keepImage(partition, [key], { blob: image.blob, contentType: image.contentType, keepOriginal: true }))
      .catch((error: unknown) => logWarning('a looked-up image was not cached', error));
    return { blob: image.blob, contentType: image.contentType, size: image.size, isThumbnail: false, source: 'glean' };
  }

  /** What the cache holds for this lookup now, without asking Glean; undefined when nothing. */
  async function fromCacheOnly(query: ImageQuery): Promise<FoundImage | undefined> {
    const who = await whose();
    const cached = who && (await cache.read(await partitionOf(who), queryKey(query)));
    return cached ? fromCache(cached) : undefined;
  }

  return {
    lookUp,
    fromCacheOnly,
    /** After an upload (a lookup by its type and ID may now get the new image) or "Clear cache". */
    askGleanAgain: (): void => loaded.forgetAll(),
  };
}

export type LookUp = ReturnType<typeof createLookUp>;

/**
 * Looking an image up: the connection from settings, one shared request per identical lookup, the
 * lookup retry policy, and the image filed in the cache for the page to read by id. When Glean cannot
 * be reached, the cached copy answers instead; when Glean says the image is gone, so is the copy.
 */
import type { FetchedImage, GleanClient } from '../glean/client.ts';
import { LOOKUP_RETRY, retrying } from '../glean/retryPolicy.ts';
import { GleanError } from '../glean/gleanError.ts';
import { RequestPool } from '../glean/sharedRequests.ts';
import { entryId, queryKey } from '../shared/cacheEntry.ts';
import type { ImageQuery } from '../shared/imageMetadata.ts';
import type { LookUpResult } from '../shared/messages.ts';
import type { ImageCache } from './cache/imageCache.ts';
import type { KeepImage } from './cache/keepImage.ts';
import { partitionOf } from './partition.ts';
import type { Clock } from './clock.ts';
import type { Connection } from './settings.ts';
import { renewingOnce, type Renew } from './signIn/renewing.ts';

export interface LookUpDeps {
  connection: () => Promise<Connection>;
  /** A renewed sign-in after Glean refused its access token (401). */
  renew: Renew;
  client: GleanClient;
  pool: RequestPool;
  clock: Clock;
  cache: ImageCache;
  keepImage: KeepImage;
}

export function createLookUp({ connection, renew, client, pool, clock, cache, keepImage }: LookUpDeps) {
  // Identical lookups share everything, the cache's bookkeeping included, not only the GET: the GET
  // alone settles in milliseconds, and lookups queued behind the cache would each start another one.
  // Each caller's signal still ends only its own wait. Its own pool: a lookup holding a slot of the
  // Glean pool while its GET waits for another slot could deadlock.
  const identical = new RequestPool(Number.MAX_SAFE_INTEGER);

  return async function lookUp(query: ImageQuery, signal: AbortSignal): Promise<LookUpResult> {
    const conn = await connection();
    const partition = await partitionOf({ server: conn.baseUrl, identity: conn.identity });
    const key = queryKey(query);
    return identical.run(`${partition} ${key}`, (shared) => lookUpShared(conn, partition, query, key, shared), signal);
  };

  async function lookUpShared(conn: Connection, partition: string, query: ImageQuery, key: string, signal: AbortSignal): Promise<LookUpResult> {
    await cache.usePartition(partition);
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
      const cached = error.retryable ? await cache.use(partition, key) : undefined;
      if (cached) return { imageId: cached.id, contentType: cached.contentType, size: cached.size, source: 'cache' };
      throw error;
    }
    await keepImage(partition, [key], { blob: image.blob, contentType: image.contentType, keepOriginal: true, thumbnailLater: true });
    return { imageId: entryId(partition, key), contentType: image.contentType, size: image.size, source: 'glean' };
  }
}

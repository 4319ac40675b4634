/**
 * Looking an image up: the connection from settings, one shared request per identical lookup, the
 * lookup retry policy, and the bytes left in the image store for the page to read by id.
 */
import type { GleanClient, GleanConnection } from '../glean/client.ts';
import { LOOKUP_RETRY, retrying } from '../glean/retryPolicy.ts';
import type { RequestPool } from '../glean/sharedRequests.ts';
import type { ImageQuery } from '../shared/imageMetadata.ts';
import type { LookUpResult } from '../shared/messages.ts';
import { writeImage } from '../shared/imageStore.ts';
import { partitionOf } from './partition.ts';
import type { Clock } from './clock.ts';

export interface LookUpDeps {
  connection: () => Promise<GleanConnection>;
  client: GleanClient;
  pool: RequestPool;
  clock: Clock;
}

/** One canonical string per image: the same lookup typed twice shares a request and a cache entry. */
export function queryKey(query: ImageQuery): string {
  if ('key' in query) return `key=${query.key}`;
  const { type = '', id = '', ds = '', cid = '' } = query.metadata;
  return new URLSearchParams({ type, id: id.trim(), ds: ds.trim(), cid: cid.trim() }).toString();
}

export function createLookUp({ connection, client, pool, clock }: LookUpDeps) {
  return async function lookUp(query: ImageQuery, signal: AbortSignal): Promise<LookUpResult> {
    const conn = await connection();
    const key = `${conn.baseUrl} ${queryKey(query)}`;
    const image = await retrying(
      LOOKUP_RETRY,
      () => pool.run(key, (shared) => client.getImage(conn, query, { signal: shared }), signal),
      { ...clock, signal },
    );
    const imageId = `${await partitionOf(conn)}:${queryKey(query)}`;
    await writeImage(imageId, { blob: image.blob, contentType: image.contentType, size: image.size, storedAt: clock.now() });
    return { imageId, contentType: image.contentType, size: image.size, source: 'glean' };
  };
}

/** The lookup's use of the cache: fill it from Glean, answer from it when Glean cannot be reached,
 * forget what Glean says is gone, and never show another identity's images. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchedImage, GleanClient } from '../../../src/glean/client.ts';
import { GleanError } from '../../../src/glean/gleanError.ts';
import { RequestPool } from '../../../src/glean/sharedRequests.ts';
import { entryId, PARTITION_KEY } from '../../../src/shared/cacheEntry.ts';
import type { ImageQuery } from '../../../src/shared/imageMetadata.ts';
import { createKeepImage } from '../../../src/worker/cache/keepImage.ts';
import { createLookUp } from '../../../src/worker/lookUp.ts';
import { partitionOf } from '../../../src/worker/partition.ts';
import type { Connection } from '../../../src/worker/settings.ts';
import type { Renew } from '../../../src/worker/signIn/renewing.ts';
import { setup } from './fakes.ts';

const CONN: Connection = { baseUrl: 'https://acme-prod-be.glean.com', token: 'token-one', identity: 'identity-one' };
/** Where the cache files CONN's images. */
const whose = (conn: Connection) => partitionOf({ server: conn.baseUrl, identity: conn.identity });
const QUERY: ImageQuery = { key: 'k1' };

function harness({ renew = async () => undefined }: { renew?: Renew } = {}) {
  const { cache, clock, local } = setup();
  let answer: FetchedImage | GleanError | ((conn: Connection) => FetchedImage | GleanError) = new GleanError('unreachable', 'offline');
  /** The token each GET was sent with. */
  const sentWith: string[] = [];
  const client: GleanClient = {
    getImage: async (conn) => {
      sentWith.push(conn.token);
      const now = typeof answer === 'function' ? answer(conn as Connection) : answer;
      if (now instanceof GleanError) throw now;
      return now;
    },
    uploadImage: async () => {
      throw new Error('not used');
    },
  };
  let conn = CONN;
  const lookUp = createLookUp({
    connection: async () => conn,
    renew,
    client,
    pool: new RequestPool(),
    clock: {
      now: clock.now,
      sleep: async (ms) => clock.advance(ms),
      random: () => 0,
    },
    cache,
    keepImage: createKeepImage({ cache, makeThumbnail: async () => ({ kind: 'small' }) }),
  });
  return {
    cache,
    clock,
    local,
    sentWith,
    lookUp: (query: ImageQuery = QUERY) => lookUp(query, new AbortController().signal),
    glean: (next: FetchedImage | GleanError | ((conn: Connection) => FetchedImage | GleanError)) => {
      answer = next;
    },
    connectAs: (next: Connection) => {
      conn = next;
    },
  };
}

const png = (text: string): FetchedImage => ({ blob: new Blob([text], { type: 'image/png' }), contentType: 'image/png', size: text.length });

test('an image from Glean is cached and named by its entry id', async () => {
  const { cache, local, lookUp, glean } = harness();
  glean(png('first'));
  const partition = await whose(CONN);
  assert.deepEqual(await lookUp(), { imageId: entryId(partition, 'key=k1'), contentType: 'image/png', size: 5, source: 'glean' });
  assert.equal(local.data.get(PARTITION_KEY), partition, 'pages learn the partition');
  assert.equal((await cache.use(partition, 'key=k1'))?.size, 5);
});

test('when Glean cannot be reached, the cached image answers, marked as just used', async () => {
  const { cache, clock, lookUp, glean } = harness();
  glean(png('first'));
  await lookUp();
  clock.advance(60_000);
  glean(new GleanError('unreachable', 'offline'));
  const result = await lookUp();
  assert.equal(result.source, 'cache');
  const entry = await cache.use(await whose(CONN), 'key=k1');
  assert.ok(entry && entry.usedAt > entry.storedAt);
});

test('when Glean cannot be reached and nothing is cached, the error stands', async () => {
  const { lookUp } = harness();
  await assert.rejects(lookUp(), (error) => error instanceof GleanError && error.code === 'unreachable');
});

test('errors that are answers (401, 404) are not hidden by the cache; a 404 also empties the entry', async () => {
  const { cache, lookUp, glean } = harness();
  glean(png('first'));
  await lookUp();
  glean(new GleanError('unauthorized', 'no', { status: 401 }));
  await assert.rejects(lookUp(), (error) => error instanceof GleanError && error.code === 'unauthorized');
  assert.ok(await cache.use(await whose(CONN), 'key=k1'), 'a 401 says nothing about the image');
  glean(new GleanError('not-found', 'gone', { status: 404 }));
  await assert.rejects(lookUp(), (error) => error instanceof GleanError && error.code === 'not-found');
  assert.equal(await cache.use(await whose(CONN), 'key=k1'), undefined);
});

test('another identity (token, sign-in or act-as user) never sees the previous identity’s images', async () => {
  const { cache, local, lookUp, glean, connectAs } = harness();
  glean(png('first'));
  await lookUp();
  for (const next of [
    { ...CONN, token: 'token-two', identity: 'identity-two' },
    { ...CONN, token: 'token-two', identity: 'identity-three', actAs: 'alex@example.com' },
  ]) {
    connectAs(next);
    glean(new GleanError('unreachable', 'offline'));
    await assert.rejects(lookUp(), (error) => error instanceof GleanError && error.code === 'unreachable');
    assert.equal(local.data.get(PARTITION_KEY), await whose(next));
    assert.equal((await cache.stats()).entries, 0, 'the previous partition is not kept');
  }
});

test('a refreshed access token of the same sign-in (same identity) keeps its cached images', async () => {
  const { cache, lookUp, glean, connectAs } = harness();
  glean(png('first'));
  await lookUp();
  connectAs({ ...CONN, token: 'token-refreshed' });
  glean(new GleanError('unreachable', 'offline'));
  assert.equal((await lookUp()).source, 'cache');
  assert.ok(await cache.use(await whose(CONN), 'key=k1'));
});

test('a sign-in’s access token Glean refuses (401) is renewed once and the lookup tried once more', async () => {
  const renewed: string[] = [];
  const { lookUp, glean, sentWith } = harness({
    renew: async (rejected) => {
      renewed.push(rejected.token);
      return { ...rejected, token: 'token-renewed' };
    },
  });
  glean((conn) => (conn.token === 'token-renewed' ? png('fresh') : new GleanError('unauthorized', 'no', { status: 401 })));
  assert.equal((await lookUp()).source, 'glean');
  assert.deepEqual(renewed, ['token-one']);
  assert.deepEqual(sentWith, ['token-one', 'token-renewed']);
});

test('a second 401 after renewing stands, and so does a 401 with nothing to renew (an API token)', async () => {
  let renews = 0;
  const renewing = harness({
    renew: async (rejected) => {
      renews += 1;
      return { ...rejected, token: 'token-renewed' };
    },
  });
  renewing.glean(new GleanError('unauthorized', 'no', { status: 401 }));
  await assert.rejects(renewing.lookUp(), (error) => error instanceof GleanError && error.code === 'unauthorized');
  assert.equal(renews, 1, 'renewed once, not again');
  assert.deepEqual(renewing.sentWith, ['token-one', 'token-renewed']);

  const apiToken = harness();
  apiToken.glean(new GleanError('unauthorized', 'no', { status: 401 }));
  await assert.rejects(apiToken.lookUp(), (error) => error instanceof GleanError && error.code === 'unauthorized');
  assert.deepEqual(apiToken.sentWith, ['token-one']);
});

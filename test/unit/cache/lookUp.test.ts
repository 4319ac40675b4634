/** The lookup's use of the cache: fill it from Glean, answer from it when Glean cannot be reached,
 * forget what Glean says is gone, and never show another identity's images. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchedImage, GleanClient } from '../../../src/glean/client.ts';
import { GleanError } from '../../../src/glean/gleanError.ts';
import { createRequestPool } from '../../../src/glean/sharedRequests.ts';
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
/** Long after a lookup: its answer no longer stands in for a new one (src/worker/lookUp.ts). */
const LATER_MS = 60_000;

function harness({ renew = async () => undefined }: { renew?: Renew } = {}) {
  const { cache, clock } = setup();
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
  const { lookUp, fromCacheOnly, askGleanAgain } = createLookUp({
    connection: async () => conn,
    whose: async () => ({ server: conn.baseUrl, identity: conn.identity }),
    renew,
    client,
    pool: createRequestPool(),
    clock: {
      now: clock.now,
      sleep: async (ms) => clock.advance(ms),
      random: () => 0,
    },
    cache,
    keepImage: createKeepImage({ cache, makeThumbnail: async () => ({ kind: 'small' }) }),
  });
  const look = (query: ImageQuery = QUERY, session?: string) => lookUp(query, new AbortController().signal, session);
  /** The copy a lookup files goes on while the page shows the image: done once the cache has it. */
  const filed = async (partition: string, query = 'key=k1') => {
    // A deadline, not a count of turns: filing does real asynchronous work (a digest, a Blob read).
    const deadline = Date.now() + 5_000;
    while (!(await cache.read(partition, query))) {
      if (Date.now() > deadline) throw new Error('never filed');
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return {
    cache,
    clock,
    sentWith,
    fromCacheOnly,
    askGleanAgain,
    lookUp: look,
    filed,
    /** QUERY looked up from Glean (as "first") and filed in the cache, long enough ago that its answer no longer stands in for a new one. */
    seenAWhileAgo: async () => {
      answer = png('first');
      await look();
      await filed(await whose(conn));
      clock.advance(LATER_MS);
    },
    glean: (next: FetchedImage | GleanError | ((conn: Connection) => FetchedImage | GleanError)) => {
      answer = next;
    },
    connectAs: (next: Connection) => {
      conn = next;
    },
  };
}

const png = (text: string): FetchedImage => ({ blob: new Blob([text], { type: 'image/png' }), contentType: 'image/png', size: text.length });

test('an image from Glean is answered at once and filed in the cache meanwhile', async () => {
  const { lookUp, glean, filed, fromCacheOnly } = harness();
  assert.equal(await fromCacheOnly({ key: 'k1' }), undefined);
  glean(png('first'));
  const found = await lookUp();
  assert.deepEqual({ ...found, blob: await found.blob.text() }, { blob: 'first', contentType: 'image/png', size: 5, isThumbnail: false, source: 'glean' });
  await filed(await whose(CONN));
  assert.equal((await fromCacheOnly({ key: ' k1 ' }))?.source, 'cache', 'the same key, typed with spaces');
});

test('when Glean cannot be reached, the cached image answers, marked as just used', async () => {
  const { cache, clock, lookUp, glean, filed } = harness();
  glean(png('first'));
  await lookUp();
  await filed(await whose(CONN));
  clock.advance(60_000);
  glean(new GleanError('unreachable', 'offline'));
  const result = await lookUp();
  assert.equal(result.source, 'cache');
  const found = await cache.read(await whose(CONN), 'key=k1');
  assert.ok(found && found.entry.usedAt > found.entry.storedAt);
});

test('when Glean cannot be reached and nothing is cached, the error stands', async () => {
  const { lookUp } = harness();
  await assert.rejects(lookUp(), (error) => error instanceof GleanError && error.code === 'unreachable');
});

test('errors that are answers (401, 404) are not hidden by the cache; a 404 also empties the entry', async () => {
  const { cache, lookUp, glean, seenAWhileAgo } = harness();
  await seenAWhileAgo();
  glean(new GleanError('unauthorized', 'no', { status: 401 }));
  await assert.rejects(lookUp(), (error) => error instanceof GleanError && error.code === 'unauthorized');
  assert.ok(await cache.read(await whose(CONN), 'key=k1'), 'a 401 says nothing about the image');
  glean(new GleanError('not-found', 'gone', { status: 404 }));
  await assert.rejects(lookUp(), (error) => error instanceof GleanError && error.code === 'not-found');
  assert.equal(await cache.read(await whose(CONN), 'key=k1'), undefined);
});

test('another identity (token, sign-in or act-as user) never sees the previous identity’s images', async () => {
  const { lookUp, glean, connectAs, filed, fromCacheOnly } = harness();
  glean(png('first'));
  await lookUp();
  await filed(await whose(CONN));
  for (const next of [
    { ...CONN, token: 'token-two', identity: 'identity-two' },
    { ...CONN, token: 'token-two', identity: 'identity-three', actAs: 'alex@example.com' },
  ]) {
    connectAs(next);
    glean(new GleanError('unreachable', 'offline'));
    await assert.rejects(lookUp(), (error) => error instanceof GleanError && error.code === 'unreachable');
    assert.equal(await fromCacheOnly(QUERY), undefined, 'the previous identity’s image is not shown');
  }
});

test('a refreshed access token of the same sign-in (same identity) keeps its cached images', async () => {
  const { cache, lookUp, glean, connectAs, seenAWhileAgo } = harness();
  await seenAWhileAgo();
  connectAs({ ...CONN, token: 'token-refreshed' });
  glean(new GleanError('unreachable', 'offline'));
  assert.equal((await lookUp()).source, 'cache');
  assert.ok(await cache.read(await whose(CONN), 'key=k1'));
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

test('a page’s loads of one image address at once, reaching the worker spread over a moment, make one GET; a person’s Look up, later loads and any after an upload or Clear cache ask again', async () => {
  const { clock, lookUp, glean, sentWith, askGleanAgain } = harness();
  glean(png('first'));
  assert.equal((await lookUp()).source, 'glean');
  // The page's other fetches of the same image arrive after that GET has already answered.
  clock.advance(900);
  const late = await Promise.all([lookUp(), lookUp()]);
  assert.deepEqual(late.map((image) => image.source), ['glean', 'glean']);
  assert.equal(sentWith.length, 1);
  // A person's Look up (from a popup, with its session) asks Glean itself, every time.
  assert.equal((await lookUp(QUERY, 'popup-session')).source, 'glean');
  assert.equal((await lookUp(QUERY, 'popup-session')).source, 'glean');
  assert.equal(sentWith.length, 3);
  // A load a while later gets Glean's answer of now.
  clock.advance(LATER_MS);
  glean(png('second'));
  assert.equal(await (await lookUp()).blob.text(), 'second');
  assert.equal(sentWith.length, 4);
  // An upload that ends may change what a lookup by type and ID answers (and Clear cache means "ask
  // Glean"): the next one asks.
  askGleanAgain();
  glean(png('third'));
  assert.equal(await (await lookUp()).blob.text(), 'third');
  assert.equal(sentWith.length, 5);
});

test('a failed lookup stands for nothing: the next identical one asks Glean again at once', async () => {
  const { lookUp, glean, sentWith } = harness();
  glean(new GleanError('not-found', 'gone', { status: 404 }));
  await assert.rejects(lookUp(), (error) => error instanceof GleanError && error.code === 'not-found');
  glean(png('back'));
  assert.equal(await (await lookUp()).blob.text(), 'back');
  assert.equal(sentWith.length, 2);
});

test('the cache’s answer while Glean cannot be reached stands for nothing: the next lookup asks Glean at once', async () => {
  const { lookUp, glean, sentWith, seenAWhileAgo } = harness();
  await seenAWhileAgo();
  glean(new GleanError('unreachable', 'offline'));
  assert.equal((await lookUp()).source, 'cache');
  const asked = sentWith.length;
  glean(png('back online'));
  const next = await lookUp();
  assert.equal(next.source, 'glean');
  assert.equal(await next.blob.text(), 'back online');
  assert.equal(sentWith.length, asked + 1);
});

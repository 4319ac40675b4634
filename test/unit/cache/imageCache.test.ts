import assert from 'node:assert/strict';
import { test } from 'node:test';
import { get, keys, set } from 'idb-keyval';
import { blobId, CACHE_MAX_AGE_MS, entryId, PARTITION_KEY, type CacheEntry } from '../../../src/shared/cacheEntry.ts';
import { StorageFull } from '../../../src/worker/cache/storageFull.ts';
import { bytes, freshStores, image, MB, quotaFailures, setup } from './fakes.ts';

const P = 'partition-a';

test('many inserts stay within the budget, evicting the least recently used first', async () => {
  const { cache, clock } = setup({ budgetBytes: 10_000 });
  await cache.usePartition(P);
  for (let i = 0; i < 200; i++) {
    clock.advance(1_000);
    await cache.put(image(P, `key=${i}`, 1_000));
    // Image 0 is looked at again and again, so it is never the least recently used.
    if (i % 3 === 0) assert.ok(await cache.use(P, 'key=0'), `image 0 is still cached after ${i + 1} inserts`);
    const stats = await cache.stats();
    assert.ok(stats.bytes <= 10_000, `after ${i + 1} inserts: ${stats.bytes} bytes`);
  }
  const stats = await cache.stats();
  assert.deepEqual(stats, { entries: 10, bytes: 10_000, budgetBytes: 10_000 });
  assert.ok(await cache.use(P, 'key=0'));
  for (let i = 191; i < 200; i++) assert.ok(await cache.use(P, `key=${i}`), `recent image ${i} kept`);
  assert.equal(await cache.use(P, 'key=190'), undefined, 'the least recently used went');
});

test('under pressure, full-size originals go before thumbnails, least recently used first', async () => {
  const { cache, clock } = setup({ budgetBytes: 3_200 });
  await cache.usePartition(P);
  for (const query of ['key=a', 'key=b', 'key=c', 'key=d']) {
    clock.advance(1_000);
    await cache.put(image(P, query, 900, 100));
  }
  // Four images of 1,000 bytes against 3,200: the oldest original goes, every thumbnail stays.
  const a = await cache.use(P, 'key=a');
  assert.equal(a?.original, null, 'the oldest lost its original');
  assert.deepEqual(a?.thumbnail, { contentType: 'image/webp', bytes: 100 });
  for (const query of ['key=b', 'key=c', 'key=d']) assert.ok((await cache.use(P, query))?.original, `${query} kept its original`);
  assert.deepEqual(await cache.stats(), { entries: 4, bytes: 3_100, budgetBytes: 3_200 });
});

test('the image just stored stays even when it alone is over budget, until the next write', async () => {
  const { cache, clock } = setup({ budgetBytes: 1_000 });
  await cache.usePartition(P);
  await cache.put(image(P, 'key=small', 500));
  clock.advance(1);
  await cache.put(image(P, 'key=huge', 5_000));
  assert.ok(await cache.use(P, 'key=huge'), 'the page that asked can still read it');
  assert.equal(await cache.use(P, 'key=small'), undefined);
  clock.advance(1);
  await cache.put(image(P, 'key=next', 500));
  assert.equal(await cache.use(P, 'key=huge'), undefined);
  assert.deepEqual(await cache.stats(), { entries: 1, bytes: 500, budgetBytes: 1_000 });
});

test('entries expire after 7 days: not found, and swept away', async () => {
  const { cache, clock } = setup();
  await cache.usePartition(P);
  await cache.put(image(P, 'key=old', 100));
  clock.advance(CACHE_MAX_AGE_MS);
  assert.ok(await cache.use(P, 'key=old'), 'still fresh at exactly 7 days');
  await cache.put(image(P, 'key=new', 100));
  clock.advance(1);
  assert.equal(await cache.use(P, 'key=old'), undefined, 'expired a moment later');
  await cache.sweep(P);
  assert.deepEqual(await cache.stats(), { entries: 1, bytes: 100, budgetBytes: 50 * MB });
});

test('a partition switch deletes the previous identity’s entries before publishing the new one', async () => {
  const { cache, local } = setup();
  await cache.usePartition('token-a');
  await cache.put(image('token-a', 'key=1', 100));
  await cache.put(image('token-a', 'key=2', 100));
  assert.equal(local.data.get(PARTITION_KEY), 'token-a');

  await cache.usePartition('token-b');
  assert.equal(local.data.get(PARTITION_KEY), 'token-b');
  assert.equal(await cache.use('token-a', 'key=1'), undefined);
  assert.equal((await cache.stats()).entries, 0);

  await cache.put(image('token-b', 'key=1', 100));
  await cache.usePartition(null);
  assert.equal(local.data.get(PARTITION_KEY), null, 'no connection: pages find no partition');
  assert.equal((await cache.stats()).entries, 0);
});

test('a write for an identity that is no longer current files nothing (a late thumbnail, a late upload)', async () => {
  const { cache } = setup();
  await cache.usePartition('token-a');
  await cache.usePartition('token-b');
  assert.deepEqual(await cache.put(image('token-a', 'key=late', 100, 10)), []);
  assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0, budgetBytes: (await cache.stats()).budgetBytes });
  assert.equal((await cache.put(image('token-b', 'key=now', 100))).length, 1);
});

test('a quota error evicts to make room and retries once', async () => {
  const stores = freshStores();
  const blobs = quotaFailures(stores.blobs);
  const { cache, clock } = setup({ stores: { entries: stores.entries, blobs } });
  await cache.usePartition(P);
  for (let i = 0; i < 4; i++) {
    clock.advance(1);
    await cache.put(image(P, `key=${i}`, 1_000));
  }
  blobs.failNext(1);
  clock.advance(1);
  const [entry] = await cache.put(image(P, 'key=new', 1_000));
  assert.equal(entry?.id, entryId(P, 'key=new'));
  assert.equal(blobs.left(), 0, 'the first write failed');
  assert.ok(await get(blobId(entry.id, 'original'), stores.blobs), 'the retry stored the image');
  // Half of the 4,000 bytes held were let go, oldest first.
  assert.equal(await cache.use(P, 'key=0'), undefined);
  assert.equal(await cache.use(P, 'key=1'), undefined);
  assert.ok(await cache.use(P, 'key=2'));
  assert.ok(await cache.use(P, 'key=3'));
});

test('a second quota error is a StorageFull error, and the cache goes on working', async () => {
  const stores = freshStores();
  const blobs = quotaFailures(stores.blobs);
  const { cache } = setup({ stores: { entries: stores.entries, blobs } });
  await cache.usePartition(P);
  blobs.failNext(2);
  await assert.rejects(cache.put(image(P, 'key=x', 1_000)), StorageFull);
  assert.equal(await cache.use(P, 'key=x'), undefined, 'no record points at a Blob that was never stored');
  await cache.put(image(P, 'key=y', 1_000));
  assert.ok(await cache.use(P, 'key=y'));
});

test('the sweep deletes Blobs whose record is gone', async () => {
  const stores = freshStores();
  const { cache } = setup({ stores });
  await cache.usePartition(P);
  await cache.put(image(P, 'key=kept', 100, 10));
  await set(blobId(entryId(P, 'key=lost'), 'original'), bytes(100), stores.blobs);
  await cache.sweep(P);
  assert.deepEqual((await keys<string>(stores.blobs)).sort(), [blobId(entryId(P, 'key=kept'), 'original'), blobId(entryId(P, 'key=kept'), 'thumbnail')].sort());
});

test('storing again replaces the entry and drops a copy it no longer has', async () => {
  const stores = freshStores();
  const { cache } = setup({ stores });
  await cache.usePartition(P);
  await cache.put(image(P, 'key=k', 500, 50));
  await cache.put({ ...image(P, 'key=k', 700), digest: 'changed' });
  const entry = await get<CacheEntry>(entryId(P, 'key=k'), stores.entries);
  assert.equal(entry?.digest, 'changed');
  assert.equal(entry?.thumbnail, null);
  assert.equal(await get(blobId(entryId(P, 'key=k'), 'thumbnail'), stores.blobs), undefined);
  assert.deepEqual(await cache.stats(), { entries: 1, bytes: 700, budgetBytes: 50 * MB });
});

test('clear empties the cache; a new budget applies at once', async () => {
  const { cache } = setup();
  await cache.usePartition(P);
  for (let i = 0; i < 5; i++) await cache.put(image(P, `key=${i}`, 1_000));
  await cache.setBudget(2_500, P);
  assert.deepEqual(await cache.stats(), { entries: 2, bytes: 2_000, budgetBytes: 2_500 });
  await cache.clear();
  assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0, budgetBytes: 2_500 });
});

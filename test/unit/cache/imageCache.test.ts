import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_MAX_AGE_MS } from '../../../src/shared/cacheLimits.ts';
import { OLD_DATABASES } from '../../../src/worker/cache/imageCache.ts';
import { StorageFull } from '../../../src/worker/cache/storageFull.ts';
import { failBlobWrites, image, setup } from './fakes.ts';

const P = 'partition-a';

test('many inserts stay within the budget, evicting the least recently used first', async () => {
  const { cache, clock } = setup({ budgetBytes: 10_000 });
  await cache.usePartition(P);
  for (let i = 0; i < 200; i++) {
    clock.advance(1_000);
    await cache.put(image(P, `key=${i}`, 1_000));
    // Image 0 is looked at again and again, so it is never the least recently used.
    if (i % 3 === 0) assert.ok(await cache.read(P, 'key=0'), `image 0 is still cached after ${i + 1} inserts`);
    const stats = await cache.stats();
    assert.ok(stats.bytes <= 10_000, `after ${i + 1} inserts: ${stats.bytes} bytes`);
  }
  assert.deepEqual(await cache.stats(), { entries: 10, bytes: 10_000 });
  assert.ok(await cache.read(P, 'key=0'));
  for (let i = 191; i < 200; i++) assert.ok(await cache.read(P, `key=${i}`), `recent image ${i} kept`);
  assert.equal(await cache.read(P, 'key=190'), undefined, 'the least recently used went');
});

test('under pressure, full-size originals go before thumbnails, least recently used first', async () => {
  const { cache, clock } = setup({ budgetBytes: 3_200 });
  await cache.usePartition(P);
  for (const query of ['key=a', 'key=b', 'key=c', 'key=d']) {
    clock.advance(1_000);
    await cache.put(image(P, query, 900, 100));
  }
  // Four images of 1,000 bytes against 3,200: the oldest original goes, every thumbnail stays.
  const a = await cache.read(P, 'key=a');
  assert.equal(a?.isThumbnail, true, 'the oldest lost its original');
  assert.equal(a?.blob.type, 'image/webp');
  assert.equal(a?.entry.size, 900, 'the image as Glean has it');
  for (const query of ['key=b', 'key=c', 'key=d']) assert.equal((await cache.read(P, query))?.isThumbnail, false, `${query} kept its original`);
  assert.deepEqual(await cache.stats(), { entries: 4, bytes: 3_100 });
});

test('the image just stored stays even when it alone is over budget, until the next write', async () => {
  const { cache, clock } = setup({ budgetBytes: 1_000 });
  await cache.usePartition(P);
  await cache.put(image(P, 'key=small', 500));
  clock.advance(1);
  await cache.put(image(P, 'key=huge', 5_000));
  assert.ok(await cache.read(P, 'key=huge'), 'the page that asked can still read it');
  assert.equal(await cache.read(P, 'key=small'), undefined);
  clock.advance(1);
  await cache.put(image(P, 'key=next', 500));
  assert.equal(await cache.read(P, 'key=huge'), undefined);
  assert.deepEqual(await cache.stats(), { entries: 1, bytes: 500 });
});

test('entries expire after 7 days: not found, and swept away', async () => {
  const { cache, clock } = setup();
  await cache.usePartition(P);
  await cache.put(image(P, 'key=old', 100));
  clock.advance(CACHE_MAX_AGE_MS);
  assert.ok(await cache.read(P, 'key=old'), 'still fresh at exactly 7 days');
  await cache.put(image(P, 'key=new', 100));
  clock.advance(1);
  assert.equal(await cache.read(P, 'key=old'), undefined, 'expired a moment later');
  await cache.sweep(P);
  assert.deepEqual(await cache.stats(), { entries: 1, bytes: 100 });
});

test('a partition switch deletes the previous identity’s entries', async () => {
  const { cache } = setup();
  await cache.usePartition('token-a');
  await cache.put(image('token-a', 'key=1', 100));
  await cache.put(image('token-a', 'key=2', 100));
  await cache.usePartition('token-b');
  assert.equal(await cache.read('token-a', 'key=1'), undefined);
  assert.equal((await cache.stats()).entries, 0);
  await cache.put(image('token-b', 'key=1', 100));
  await cache.usePartition(null);
  assert.equal((await cache.stats()).entries, 0, 'no connection: nothing kept');
});

test('a write for an identity that is no longer current files nothing (a late thumbnail, a late upload)', async () => {
  const { cache } = setup();
  await cache.usePartition('token-a');
  await cache.usePartition('token-b');
  assert.equal(await cache.put(image('token-a', 'key=late', 100, 10)), false);
  assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0 });
  assert.equal(await cache.put(image('token-b', 'key=now', 100)), true);
});

test('a quota error evicts half of what is held, oldest first, and retries once', async () => {
  const { cache, clock } = setup();
  await cache.usePartition(P);
  for (let i = 0; i < 4; i++) {
    clock.advance(1);
    await cache.put(image(P, `key=${i}`, 1_000));
  }
  const failing = failBlobWrites(1);
  clock.advance(1);
  assert.equal(await cache.put(image(P, 'key=new', 1_000)), true);
  assert.equal(failing.left(), 0, 'the first write failed');
  assert.ok(await cache.read(P, 'key=new'), 'the retry stored the image');
  assert.equal(await cache.read(P, 'key=0'), undefined);
  assert.equal(await cache.read(P, 'key=1'), undefined);
  assert.ok(await cache.read(P, 'key=2'));
  assert.ok(await cache.read(P, 'key=3'));
});

test('a second quota error is a StorageFull error, nothing half-written, and the cache goes on working', async () => {
  const { cache } = setup();
  await cache.usePartition(P);
  failBlobWrites(2);
  await assert.rejects(cache.put(image(P, 'key=x', 1_000)), StorageFull);
  assert.equal(await cache.read(P, 'key=x'), undefined);
  assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0 }, 'the record went with its Blob: one transaction');
  await cache.put(image(P, 'key=y', 1_000));
  assert.ok(await cache.read(P, 'key=y'));
});

test('storing again replaces the entry and drops a copy it no longer has', async () => {
  const { cache } = setup();
  await cache.usePartition(P);
  await cache.put(image(P, 'key=k', 500, 50));
  await cache.put(image(P, 'key=k', 700));
  const found = await cache.read(P, 'key=k');
  assert.equal(found?.entry.thumbnail, 0);
  assert.equal(found?.blob.size, 700);
  assert.deepEqual(await cache.stats(), { entries: 1, bytes: 700 });
});

test('clear empties the cache; a lower budget applies at the next sweep', async () => {
  const { cache, setBudget } = setup();
  await cache.usePartition(P);
  for (let i = 0; i < 5; i++) await cache.put(image(P, `key=${i}`, 1_000));
  setBudget(2_500);
  await cache.sweep(P);
  assert.deepEqual(await cache.stats(), { entries: 2, bytes: 2_000 });
  await cache.clear();
  assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0 });
});

test('the databases of earlier versions are deleted when the cache is first opened', async () => {
  const { cache, indexedDB } = setup();
  for (const name of OLD_DATABASES) {
    await new Promise((resolve) => {
      indexedDB.open(name).onsuccess = function () {
        this.result.close();
        resolve(null);
      };
    });
  }
  await cache.stats();
  const left = (await indexedDB.databases()).map((database) => database.name);
  assert.deepEqual(left, ['glean-images-image-cache']);
});

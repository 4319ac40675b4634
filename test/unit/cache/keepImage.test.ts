import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryKey } from '../../../src/shared/imageAddress.ts';
import { createKeepImage, createRememberUpload } from '../../../src/worker/cache/keepImage.ts';
import type { Thumbnail } from '../../../src/worker/cache/thumbnail.ts';
import { partitionOf } from '../../../src/worker/partition.ts';
import { deferred, settle } from '../glean/fakes.ts';
import { bytes, setup } from './fakes.ts';

/** Whose upload it was: the server and the non-secret identity (src/worker/settings.ts `whose`). */
const UPLOADED_AS = { server: 'https://acme-prod-be.glean.com', identity: 'identity-1' };
const METADATA = { type: 'UGC' as const, id: 'post-1' };

function keeper(thumbnail: Thumbnail | Error) {
  const { cache } = setup();
  const puts: boolean[] = [];
  const counted = { ...cache, put: async (image: Parameters<typeof cache.put>[0]) => (puts.push(Boolean(image.thumbnail)), cache.put(image)) };
  const makeThumbnail = async (): Promise<Thumbnail> => {
    if (thumbnail instanceof Error) throw thumbnail;
    return thumbnail;
  };
  const keepImage = createKeepImage({ cache: counted, makeThumbnail });
  return { cache, puts, keepImage, rememberUpload: createRememberUpload(cache, keepImage) };
}

test('a looked-up image is filed at once, then again with its thumbnail', async () => {
  const { cache, puts, keepImage } = keeper({ kind: 'thumbnail', blob: bytes(30, 'image/webp') });
  await cache.usePartition('p');
  assert.equal(await keepImage('p', ['key=k'], { blob: new Blob(['the image'], { type: 'image/png' }), contentType: 'image/png', keepOriginal: true }), true);
  assert.deepEqual(puts, [false, true], 'the original first, without waiting for the thumbnail');
  const found = await cache.read('p', 'key=k');
  assert.deepEqual([found?.entry.original, found?.entry.thumbnail, found?.isThumbnail], [9, 30, false]);
});

test('a small looked-up image is written once: its original is its thumbnail', async () => {
  const { cache, puts, keepImage } = keeper({ kind: 'small' });
  await cache.usePartition('p');
  await keepImage('p', ['key=k'], { blob: bytes(9), contentType: 'image/png', keepOriginal: true });
  assert.deepEqual(puts, [false]);
});

test('an upload is filed under its metadata and its key, as a thumbnail only', async () => {
  const { cache, rememberUpload } = keeper({ kind: 'thumbnail', blob: bytes(30, 'image/webp') });
  await rememberUpload(UPLOADED_AS, METADATA, 'abc', bytes(5_000));
  const partition = await partitionOf(UPLOADED_AS);
  for (const query of [queryKey({ metadata: METADATA }), queryKey({ key: 'abc' })]) {
    const found = await cache.read(partition, query);
    assert.equal(found?.isThumbnail, true);
    assert.equal(found?.blob.size, 30);
    assert.equal(found?.entry.size, 5_000);
  }
});

test('an upload with the same metadata (typed with spaces) replaces the cached image', async () => {
  const { cache, keepImage, rememberUpload } = keeper({ kind: 'small' });
  const partition = await partitionOf(UPLOADED_AS);
  await cache.usePartition(partition);
  const query = queryKey({ metadata: METADATA });
  await keepImage(partition, [query], { blob: new Blob(['before']), contentType: 'image/png', keepOriginal: true });
  await rememberUpload(UPLOADED_AS, { ...METADATA, id: ' post-1 ' }, undefined, new Blob(['after'], { type: 'image/png' }));
  const found = await cache.read(partition, query);
  assert.equal(await found?.blob.text(), 'after', 'a small image is its own thumbnail');
});

test('an upload with no possible thumbnail removes what its metadata showed before', async () => {
  const { cache, keepImage, rememberUpload } = keeper({ kind: 'none' });
  const partition = await partitionOf(UPLOADED_AS);
  await cache.usePartition(partition);
  const query = queryKey({ metadata: METADATA });
  await keepImage(partition, [query], { blob: new Blob(['before']), contentType: 'image/png', keepOriginal: true });
  await rememberUpload(UPLOADED_AS, METADATA, 'abc', bytes(100));
  assert.equal(await cache.read(partition, query), undefined);
});

test('rememberUpload never throws: the upload succeeded either way', async () => {
  const { cache, rememberUpload } = keeper(new Error('decoder crashed'));
  await rememberUpload(UPLOADED_AS, METADATA, 'abc', bytes(100));
  assert.deepEqual((await cache.stats()).entries, 0);
});

test('uploads are filed one at a time: the next reads its file only once the previous is filed', { timeout: 10_000 }, async () => {
  const { cache } = setup();
  const filing: string[] = [];
  // Each filing says when it has read its file (a Blob read, a digest and IndexedDB come before it:
  // real asynchronous work, so no count of turns is long enough on a busy machine).
  const read = [deferred<void>(), deferred<void>()];
  const waits = [deferred<Thumbnail>(), deferred<Thumbnail>()];
  let calls = 0;
  const keepImage = createKeepImage({
    cache,
    makeThumbnail: async (image) => {
      filing.push(await image.text());
      const call = calls++;
      read[call]?.resolve();
      return (waits[call] ?? deferred<Thumbnail>()).promise;
    },
  });
  const rememberUpload = createRememberUpload(cache, keepImage);
  const first = rememberUpload(UPLOADED_AS, METADATA, 'one', new Blob(['first'], { type: 'image/png' }));
  const second = rememberUpload(UPLOADED_AS, { ...METADATA, id: 'post-2' }, 'two', new Blob(['second'], { type: 'image/png' }));
  await read[0]?.promise;
  for (let turn = 0; turn < 20; turn++) await settle();
  assert.deepEqual(filing, ['first'], 'the second waits while the first is filed');
  waits[0]?.resolve({ kind: 'small' });
  await first;
  await read[1]?.promise;
  waits[1]?.resolve({ kind: 'small' });
  await second;
  assert.deepEqual(filing, ['first', 'second']);
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { entryId, queryKey } from '../../../src/shared/cacheEntry.ts';
import { createKeepImage } from '../../../src/worker/cache/keepImage.ts';
import { createRememberUpload } from '../../../src/worker/cache/rememberUpload.ts';
import type { Thumbnail } from '../../../src/worker/cache/thumbnail.ts';
import { partitionOf } from '../../../src/worker/partition.ts';
import { deferred, settle } from '../glean/fakes.ts';
import { bytes, setup } from './fakes.ts';

/** Whose upload it was: the server and the non-secret identity (src/worker/settings.ts `whose`). */
const UPLOADED_AS = { server: 'https://acme-prod-be.glean.com', identity: 'identity-1' };
const METADATA = { type: 'UGC' as const, id: 'post-1' };

function keeper(thumbnail: Thumbnail | Error) {
  const { cache, local } = setup();
  const makeThumbnail = async (): Promise<Thumbnail> => {
    if (thumbnail instanceof Error) throw thumbnail;
    return thumbnail;
  };
  const keepImage = createKeepImage({ cache, makeThumbnail });
  return { cache, local, keepImage, rememberUpload: createRememberUpload(cache, keepImage) };
}

test('a looked-up image keeps its original and thumbnail, with the SHA-256 of its bytes', async () => {
  const { cache, keepImage } = keeper({ kind: 'thumbnail', blob: bytes(30, 'image/webp') });
  await cache.usePartition('p');
  const image = new Blob(['the image'], { type: 'image/png' });
  const [entry] = await keepImage('p', ['key=k'], { blob: image, contentType: 'image/png', keepOriginal: true });
  assert.equal(entry?.digest, createHash('sha256').update('the image').digest('hex'));
  assert.deepEqual(entry?.original, { contentType: 'image/png', bytes: 9 });
  assert.deepEqual(entry?.thumbnail, { contentType: 'image/webp', bytes: 30 });
});

test('an upload is filed under its metadata and its key, as a thumbnail only', async () => {
  const { cache, rememberUpload } = keeper({ kind: 'thumbnail', blob: bytes(30, 'image/webp') });
  await rememberUpload(UPLOADED_AS, METADATA, 'abc', bytes(5_000));
  const partition = await partitionOf(UPLOADED_AS);
  for (const query of [queryKey({ metadata: METADATA }), queryKey({ key: 'abc' })]) {
    const entry = await cache.use(partition, query);
    assert.equal(entry?.id, entryId(partition, query));
    assert.equal(entry?.original, null);
    assert.equal(entry?.thumbnail?.bytes, 30);
  }
});

test('an upload with the same metadata replaces the cached image', async () => {
  const { cache, keepImage, rememberUpload } = keeper({ kind: 'small' });
  const partition = await partitionOf(UPLOADED_AS);
  await cache.usePartition(partition);
  const query = queryKey({ metadata: METADATA });
  await keepImage(partition, [query], { blob: new Blob(['before']), contentType: 'image/png', keepOriginal: true });
  await rememberUpload(UPLOADED_AS, { ...METADATA, id: ' post-1 ' }, undefined, new Blob(['after'], { type: 'image/png' }));
  const entry = await cache.use(partition, query);
  assert.equal(entry?.digest, createHash('sha256').update('after').digest('hex'));
  assert.deepEqual(entry?.original, { contentType: 'image/png', bytes: 5 }, 'a small image is its own thumbnail');
});

test('an upload with no possible thumbnail removes what its metadata showed before', async () => {
  const { cache, keepImage, rememberUpload } = keeper({ kind: 'none' });
  const partition = await partitionOf(UPLOADED_AS);
  await cache.usePartition(partition);
  const query = queryKey({ metadata: METADATA });
  await keepImage(partition, [query], { blob: new Blob(['before']), contentType: 'image/png', keepOriginal: true });
  await rememberUpload(UPLOADED_AS, METADATA, 'abc', bytes(100));
  assert.equal(await cache.use(partition, query), undefined);
});

test('rememberUpload never throws: the upload succeeded either way', async () => {
  const { cache, rememberUpload } = keeper(new Error('decoder crashed'));
  await rememberUpload(UPLOADED_AS, METADATA, 'abc', bytes(100));
  assert.deepEqual((await cache.stats()).entries, 0);
});

test('uploads are filed one at a time: the next reads its file only once the previous is filed', async () => {
  const { cache } = setup();
  const filing: string[] = [];
  const waits = [deferred<Thumbnail>(), deferred<Thumbnail>()];
  let calls = 0;
  const keepImage = createKeepImage({
    cache,
    makeThumbnail: async (image) => {
      filing.push(await image.text());
      return (waits[calls++] ?? deferred<Thumbnail>()).promise;
    },
  });
  const rememberUpload = createRememberUpload(cache, keepImage);
  const first = rememberUpload(UPLOADED_AS, METADATA, 'one', new Blob(['first'], { type: 'image/png' }));
  const second = rememberUpload(UPLOADED_AS, { ...METADATA, id: 'post-2' }, 'two', new Blob(['second'], { type: 'image/png' }));
  await eventuallyCalled(filing, 1);
  for (let turn = 0; turn < 20; turn++) await settle();
  assert.deepEqual(filing, ['first'], 'the second waits while the first is filed');
  waits[0]?.resolve({ kind: 'small' });
  await first;
  await eventuallyCalled(filing, 2);
  waits[1]?.resolve({ kind: 'small' });
  await second;
  assert.deepEqual(filing, ['first', 'second']);
});

describe('a looked-up image, filed before its thumbnail (thumbnailLater)', () => {
  /** The cache, counting puts as they are called, and the thumbnail step's answer to wait for. */
  function counting(thumbnail: Thumbnail) {
    const { cache } = setup();
    const puts: Array<Promise<unknown>> = [];
    const made = deferred<Thumbnail>();
    const keepImage = createKeepImage({
      cache: { ...cache, put: (image) => (puts.push(cache.put(image)), puts.at(-1) as ReturnType<typeof cache.put>) },
      makeThumbnail: () => (made.resolve(thumbnail), made.promise),
    });
    return { cache, puts, made, keepImage };
  }
  const LOOKED_UP = { blob: new Blob(['the image'], { type: 'image/png' }), contentType: 'image/png', keepOriginal: true, thumbnailLater: true };

  test('a small image is written once: its original is its thumbnail', async () => {
    const { cache, puts, made, keepImage } = counting({ kind: 'small' });
    await cache.usePartition('p');
    const [entry] = await keepImage('p', ['key=k'], LOOKED_UP);
    assert.deepEqual(entry?.original, { contentType: 'image/png', bytes: 9 });
    await made.promise;
    await settle();
    assert.equal(puts.length, 1);
  });

  test('a larger one gets its thumbnail in a second write, with the same digest', async () => {
    const { cache, puts, keepImage } = counting({ kind: 'thumbnail', blob: bytes(30, 'image/webp') });
    await cache.usePartition('p');
    const [first] = await keepImage('p', ['key=k'], LOOKED_UP);
    assert.equal(first?.thumbnail, null, 'the page is answered before the thumbnail');
    await eventuallyCalled(puts, 2);
    const [second] = (await puts[1]) as Awaited<ReturnType<typeof cache.put>>;
    assert.deepEqual(second?.thumbnail, { contentType: 'image/webp', bytes: 30 });
    assert.equal(second?.digest, first?.digest);
  });
});

/** Lets pending callbacks run until `calls` holds `count` entries (each turn moves fake-indexeddb on). */
async function eventuallyCalled(calls: readonly unknown[], count: number): Promise<void> {
  for (let turn = 0; calls.length < count; turn++) {
    if (turn > 100) throw new Error(`${calls.length} calls, expected ${count}`);
    await settle();
  }
}

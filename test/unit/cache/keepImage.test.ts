import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { entryId, queryKey } from '../../../src/shared/cacheEntry.ts';
import { createKeepImage } from '../../../src/worker/cache/keepImage.ts';
import { createRememberUpload } from '../../../src/worker/cache/rememberUpload.ts';
import type { Thumbnail } from '../../../src/worker/cache/thumbnail.ts';
import { partitionOf } from '../../../src/worker/partition.ts';
import { bytes, setup } from './fakes.ts';

const CONN = { baseUrl: 'https://acme-prod-be.glean.com', token: 'secret-token' };
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
  await rememberUpload(CONN, METADATA, 'abc', bytes(5_000));
  const partition = await partitionOf(CONN);
  for (const query of [queryKey({ metadata: METADATA }), queryKey({ key: 'abc' })]) {
    const entry = await cache.use(partition, query);
    assert.equal(entry?.id, entryId(partition, query));
    assert.equal(entry?.original, null);
    assert.equal(entry?.thumbnail?.bytes, 30);
  }
});

test('an upload with the same metadata replaces the cached image', async () => {
  const { cache, keepImage, rememberUpload } = keeper({ kind: 'small' });
  const partition = await partitionOf(CONN);
  await cache.usePartition(partition);
  const query = queryKey({ metadata: METADATA });
  await keepImage(partition, [query], { blob: new Blob(['before']), contentType: 'image/png', keepOriginal: true });
  await rememberUpload(CONN, { ...METADATA, id: ' post-1 ' }, undefined, new Blob(['after'], { type: 'image/png' }));
  const entry = await cache.use(partition, query);
  assert.equal(entry?.digest, createHash('sha256').update('after').digest('hex'));
  assert.deepEqual(entry?.original, { contentType: 'image/png', bytes: 5 }, 'a small image is its own thumbnail');
});

test('an upload with no possible thumbnail removes what its metadata showed before', async () => {
  const { cache, keepImage, rememberUpload } = keeper({ kind: 'none' });
  const partition = await partitionOf(CONN);
  await cache.usePartition(partition);
  const query = queryKey({ metadata: METADATA });
  await keepImage(partition, [query], { blob: new Blob(['before']), contentType: 'image/png', keepOriginal: true });
  await rememberUpload(CONN, METADATA, 'abc', bytes(100));
  assert.equal(await cache.use(partition, query), undefined);
});

test('rememberUpload never throws: the upload succeeded either way', async () => {
  const { cache, rememberUpload } = keeper(new Error('decoder crashed'));
  await rememberUpload(CONN, METADATA, 'abc', bytes(100));
  assert.deepEqual((await cache.stats()).entries, 0);
});

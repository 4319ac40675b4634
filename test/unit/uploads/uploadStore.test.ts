/** The upload blob store: bounded in bytes, and swept of blobs no job refers to (fake-indexeddb). */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { createStore, set } from 'idb-keyval';
import type { UploadJob } from '../../../src/shared/uploadJob.ts';
import {
  MAX_WAITING_BYTES,
  ORPHAN_AFTER_MS,
  UploadsFull,
  deleteBlob,
  deleteJob,
  listJobs,
  readBlob,
  sweepOrphanedBlobs,
  writeBlob,
  writeJob,
} from '../../../src/shared/uploadStore.ts';
import { createJob } from '../../../src/worker/uploads/jobMachine.ts';

const MB = 1024 * 1024;
const blobsDatabase = createStore('glean-images-upload-blobs', 'blobs');
const bytes = (size: number): Blob => new Blob([new Uint8Array(size)], { type: 'image/png' });

function job(id: string): UploadJob {
  return createJob({ id, metadata: { type: 'UGC' }, fileName: `${id}.png`, contentType: 'image/png', size: 3, origin: 'popup' }, Date.now());
}

beforeEach(async () => {
  await sweepOrphanedBlobs(new Set(), Number.MAX_SAFE_INTEGER);
  for (const { id } of await listJobs()) await deleteJob(id);
  await sweepOrphanedBlobs(new Set(), Number.MAX_SAFE_INTEGER);
});

describe('writeBlob: the bytes waiting are bounded', () => {
  it('by 100 MB', () => {
    assert.equal(MAX_WAITING_BYTES, 100 * MB);
  });

  // A smaller limit than the real one: fake-indexeddb copies every Blob it reads, which at 100 MB takes seconds.
  const LIMIT = 10 * MB;

  it('refuses an image that would pass the limit, saying what to do, and takes it once there is room', async () => {
    await writeBlob('a', bytes(4.5 * MB), LIMIT);
    await writeBlob('b', bytes(4.5 * MB), LIMIT);
    const refused = await writeBlob('c', bytes(2 * MB), LIMIT).then(
      () => assert.fail('a third image was stored'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof UploadsFull);
    assert.equal(
      refused.message,
      'Too many images are waiting to upload (9 MB of the 10 MB the extension keeps). Wait for the uploads under “Recent uploads” to finish, or remove the ones that failed, then try again.',
    );
    assert.equal(await readBlob('c'), undefined);
    await deleteBlob('a');
    await writeBlob('c', bytes(2 * MB), LIMIT);
    assert.equal((await readBlob('c'))?.size, 2 * MB);
  });

  it('counts a blob written again under its id once', async () => {
    await writeBlob('pending', bytes(6 * MB), LIMIT);
    await writeBlob('pending', bytes(6 * MB), LIMIT);
    assert.equal((await readBlob('pending'))?.size, 6 * MB);
  });

  it('lets only one of two writers racing for the last room in', async () => {
    const results = await Promise.allSettled([writeBlob('x', bytes(6 * MB), LIMIT), writeBlob('y', bytes(6 * MB), LIMIT)]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const stored = [await readBlob('x'), await readBlob('y')].filter((b) => b !== undefined);
    assert.equal(stored.length, 1);
  });
});

describe('sweepOrphanedBlobs', () => {
  it('deletes only the blobs no job refers to, once they are old enough, and spares the ids it is told to keep', async () => {
    await writeJob(job('queued'));
    await writeBlob('queued', bytes(3));
    await writeBlob('left-behind', bytes(3));
    await writeBlob('pending-image', bytes(3));
    // Stored by a release before this one: the Blob alone, undated.
    await set('from-last-release', bytes(3), blobsDatabase);

    assert.equal(await sweepOrphanedBlobs(new Set(['pending-image'])), 1, 'only the undated orphan is old enough now');
    assert.equal(await readBlob('from-last-release'), undefined);
    assert.equal((await readBlob('left-behind'))?.size, 3, 'a blob whose job the worker is about to queue stays');

    assert.equal(await sweepOrphanedBlobs(new Set(['pending-image']), Date.now() + ORPHAN_AFTER_MS + 1), 1);
    assert.equal(await readBlob('left-behind'), undefined);
    assert.equal((await readBlob('queued'))?.size, 3);
    assert.equal((await readBlob('pending-image'))?.size, 3);
  });

  it('reads a blob stored by the last release as before', async () => {
    await set('old', bytes(7), blobsDatabase);
    assert.equal((await readBlob('old'))?.size, 7);
  });
});

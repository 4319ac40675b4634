/**
 * Upload jobs and their bytes in IndexedDB. Pages write only a new job's Blob (bytes never travel
 * in messages) and read jobs to show them; every job record is written by the worker.
 * Two databases because idb-keyval's createStore opens a database with exactly one object store.
 */
import { createStore, del, get, keys, promisifyRequest, set, values } from 'idb-keyval';
import { t } from './i18n.ts';
import type { UploadJob } from './uploadJob.ts';

/** A `storage.session` key the worker changes whenever jobs change, so open pages re-read them. */
export const UPLOADS_REVISION_KEY = 'uploadsRevision';

/**
 * The most bytes that may wait in the blob store: five uploads of the largest size (20 MB), or
 * dozens of ordinary ones. Beyond it a new image is refused with a message that says how to make
 * room, rather than filling the person's disk with failed or forgotten uploads.
 */
export const MAX_WAITING_BYTES = 100 * 1024 * 1024;

/**
 * How long a blob may wait for its job. A page writes the Blob first and then asks the worker to
 * queue its job, so for a moment every new upload's blob has no job; a blob still without one after
 * this long was left behind (the page closed in between, or a worker stopped mid-way).
 */
export const ORPHAN_AFTER_MS = 10 * 60 * 1000;

const jobs = createStore('glean-images-upload-jobs', 'jobs');
const blobs = createStore('glean-images-upload-blobs', 'blobs');

/** A stored blob and when it was written. Releases before this one stored the Blob alone. */
interface StoredBlob {
  blob: Blob;
  writtenAt: number;
}

type Stored = StoredBlob | Blob;

const blobOf = (stored: Stored): Blob => (stored instanceof Blob ? stored : stored.blob);
/** A Blob stored by an earlier release has no date: old enough to be swept once it has no job. */
const writtenAt = (stored: Stored): number => (stored instanceof Blob ? 0 : stored.writtenAt);

/** The blob store has no room for an image: its message says what to do. */
export class UploadsFull extends Error {
  override readonly name = 'UploadsFull';

  constructor(waitingBytes: number, limitBytes: number) {
    const megabytes = (bytes: number): number => Math.ceil(bytes / 1024 / 1024);
    super(t('uploadsWaitingFull', megabytes(waitingBytes), megabytes(limitBytes)));
  }
}

export async function listJobs(): Promise<UploadJob[]> {
  const all = await values<UploadJob>(jobs);
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export const readJob = (id: string): Promise<UploadJob | undefined> => get<UploadJob>(id, jobs);
export const writeJob = (job: UploadJob): Promise<void> => set(job.id, job, jobs);
export const deleteJob = (id: string): Promise<void> => del(id, jobs);

export const readBlob = async (id: string): Promise<Blob | undefined> => {
  const stored = await get<Stored>(id, blobs);
  return stored && blobOf(stored);
};

/**
 * Stores `blob` under `id` unless the bytes waiting (every other stored blob) would then pass
 * `limitBytes`: then rejects with UploadsFull. Counting and writing happen in one readwrite
 * transaction, which IndexedDB runs alone on its store, so two pages writing at once cannot both
 * squeeze under the limit.
 */
export function writeBlob(id: string, blob: Blob, limitBytes = MAX_WAITING_BYTES): Promise<void> {
  return blobs('readwrite', async (store) => {
    const [ids, stored] = await Promise.all([promisifyRequest(store.getAllKeys()), promisifyRequest(store.getAll())]);
    // getAllKeys and getAll list the records in the same (key) order.
    const others = (stored as Stored[]).reduce((sum, value, i) => (ids[i] === id ? sum : sum + blobOf(value).size), 0);
    if (others + blob.size > limitBytes) throw new UploadsFull(others, limitBytes);
    const record: StoredBlob = { blob, writtenAt: Date.now() };
    store.put(record, id);
    await promisifyRequest(store.transaction);
  });
}

export const deleteBlob = (id: string): Promise<void> => del(id, blobs);

/**
 * Deletes the blobs no job refers to (an upload whose page closed before the worker queued it, a job
 * removed while its blob was being written), once they are ORPHAN_AFTER_MS old. `keep`: ids that
 * are not jobs but still in use (the right-clicked image waiting for the form). Answers how many went.
 */
export async function sweepOrphanedBlobs(keep: ReadonlySet<string>, now = Date.now()): Promise<number> {
  const jobIds = new Set(await keys<string>(jobs));
  const orphans = (await keys<string>(blobs)).filter((id) => !jobIds.has(id) && !keep.has(id));
  let swept = 0;
  for (const id of orphans) {
    const stored = await get<Stored>(id, blobs);
    // Read again: a job may have been queued for it meanwhile, or the blob written anew.
    if (stored === undefined || now - writtenAt(stored) < ORPHAN_AFTER_MS || (await readJob(id)) !== undefined) continue;
    await deleteBlob(id);
    swept += 1;
  }
  return swept;
}

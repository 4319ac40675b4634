/**
 * Upload jobs and their bytes in IndexedDB. Pages write only a new job's Blob (bytes never travel
 * in messages) and read jobs to show them; every job record is written by the worker.
 * Two databases because idb-keyval's createStore opens a database with exactly one object store.
 */
import { createStore, del, get, set, values } from 'idb-keyval';
import type { UploadJob } from './uploadJob.ts';

/** A `storage.session` key the worker changes whenever jobs change, so open pages re-read them. */
export const UPLOADS_REVISION_KEY = 'uploadsRevision';

const jobs = createStore('glean-images-upload-jobs', 'jobs');
const blobs = createStore('glean-images-upload-blobs', 'blobs');

export async function listJobs(): Promise<UploadJob[]> {
  const all = await values<UploadJob>(jobs);
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export const readJob = (id: string): Promise<UploadJob | undefined> => get<UploadJob>(id, jobs);
export const writeJob = (job: UploadJob): Promise<void> => set(job.id, job, jobs);
export const deleteJob = (id: string): Promise<void> => del(id, jobs);

export const readBlob = (id: string): Promise<Blob | undefined> => get<Blob>(id, blobs);
export const writeBlob = (id: string, blob: Blob): Promise<void> => set(id, blob, blobs);
export const deleteBlob = (id: string): Promise<void> => del(id, blobs);

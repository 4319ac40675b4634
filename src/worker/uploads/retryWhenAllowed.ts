/**
 * Uploads that failed because the browser withheld access to the Glean server start again by
 * themselves once access is granted (`permissions.onAdded`), wherever it was granted: the popup's or
 * the Options page's "Grant access", or the browser's own extension settings. Firefox may close the
 * popup when it shows its permission prompt, so the popup cannot be the one to retry them.
 */
import type { JobStore, UploadQueue } from './uploadQueue.ts';

export async function retryUploadsWaitingForAccess(store: Pick<JobStore, 'listJobs'>, uploads: Pick<UploadQueue, 'retry'>): Promise<void> {
  const waiting = (await store.listJobs()).filter((job) => job.state === 'failed' && job.lastError?.code === 'no-access');
  await Promise.all(waiting.map((job) => uploads.retry(job.id)));
}

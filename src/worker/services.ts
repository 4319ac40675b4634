/**
 * The worker's parts, wired to the real browser. Building them does no I/O, so the worker's top level
 * stays synchronous (Chrome may start it only to deliver one event).
 */
import browser from 'webextension-polyfill';
import { createGleanClient } from '../glean/client.ts';
import { RequestPool } from '../glean/sharedRequests.ts';
import type { AuthType } from '../shared/messages.ts';
import { createLookUp } from './lookUp.ts';
import { createCacheServices } from './cache/cacheServices.ts';
import { realClock } from './clock.ts';
import { createSettings, type ManagedPolicy } from './settings.ts';
import { requireServerAccess } from './serverAccess.ts';
import { createTokenSeal, keyInIndexedDb } from './tokenSeal.ts';
import * as uploadStore from '../shared/uploadStore.ts';
import type { UploadJob } from '../shared/uploadJob.ts';
import { describeGleanError } from '../glean/userMessages.ts';
import { announceUploadsChanged } from './uploads/announce.ts';
import { showUnfinishedCount } from './uploads/badge.ts';
import { announceUploadEnded } from './contextMenu/notify.ts';
import { holdAwake } from './uploads/keepAlive.ts';
import { createUploadQueue } from './uploads/uploadQueue.ts';
import { wakeUploadsAt } from './uploads/wakeUp.ts';

async function readPolicy(): Promise<ManagedPolicy> {
  const policy = await browser.storage.managed.get(['server', 'authType']);
  const authType: AuthType | undefined =
    policy.authType === 'OAUTH' ? 'OAUTH' : policy.authType === '' ? '' : undefined;
  return {
    ...(typeof policy.server === 'string' && policy.server ? { instance: policy.server } : {}),
    ...(authType !== undefined ? { authType } : {}),
  };
}

export const settings = createSettings({ local: browser.storage.local, readPolicy, seal: createTokenSeal(keyInIndexedDb()) });

/** The connection for a request to Glean: the settings', once the browser lets the worker reach that server. */
export const gleanConnection = requireServerAccess(settings.connection, (permissions) => browser.permissions.contains(permissions));

// The worker's global fetch, bound: Chrome throws "Illegal invocation" for an unbound one.
export const client = createGleanClient({ fetch: fetch.bind(globalThis) });

/** Every request to Glean, lookups and uploads alike, shares one limit on requests at once. */
const pool = new RequestPool();

/** The image cache, and `rememberUpload(conn, metadata, key, blob)` for the upload queue to call. */
export const cache = createCacheServices(settings.connection);
export const { rememberUpload } = cache;

export const lookUp = createLookUp({
  connection: gleanConnection,
  client,
  pool,
  clock: realClock,
  cache: cache.imageCache,
  keepImage: cache.keepImage,
});

/** An upload's bytes typed as what they are (checked when queued), not as the browser guessed; slice copies nothing. */
const asChecked = (blob: Blob, job: UploadJob): Blob => (blob.type === job.contentType ? blob : blob.slice(0, blob.size, job.contentType));

/** What was uploaded shows at once when looked up, and in "Recent uploads", from its thumbnail. */
async function rememberUploaded(job: UploadJob, blob: Blob | undefined): Promise<void> {
  if (job.state !== 'uploaded' || !blob) return;
  const conn = await settings.connection().catch(() => null); // The token may have been removed meanwhile.
  if (conn) await rememberUpload(conn, job.metadata, job.result?.key, asChecked(blob, job));
}

export const uploads = createUploadQueue({
  store: uploadStore,
  upload: async (blob, job, signal) => {
    const conn = await gleanConnection();
    return pool.limit((shared) => client.uploadImage(conn, asChecked(blob, job), job.metadata, { signal: shared }), signal);
  },
  describe: (error, willRetry, retryInMs) =>
    describeGleanError(error, 'upload', { willRetry, ...(retryInMs !== undefined ? { retryInMs } : {}) }),
  clock: realClock,
  wakeAt: (at) => wakeUploadsAt(at, () => void uploads.pump()),
  holdAwake,
  changed: () => {
    announceUploadsChanged();
    void showUnfinishedCount();
  },
  finished: async (job, blob) => {
    await rememberUploaded(job, blob);
    await announceUploadEnded(job);
  },
});

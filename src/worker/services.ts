/**
 * The worker's parts, wired to the real browser. Building them does no I/O, so the worker's top level
 * stays synchronous (Chrome may start it only to deliver one event).
 */
import { browser } from '../shared/browser.ts';
import { createGleanClient } from '../glean/client.ts';
import { createRequestPool } from '../glean/sharedRequests.ts';
import { createLookUp } from './lookUp.ts';
import { createCacheServices } from './cache/cacheServices.ts';
import { realClock } from './clock.ts';
import { createSettings, type Connection } from './settings.ts';
import { createPolicySource } from './policySource.ts';
import { createClientRegistry } from './signIn/clientRegistry.ts';
import type { OAuthHttp } from './signIn/oauthHttp.ts';
import { refresh } from './signIn/oauthFlow.ts';
import type { Renew } from './signIn/renewing.ts';
import { renewingOnce } from './signIn/renewing.ts';
import { createSignInService } from './signIn/signInService.ts';
import { createSignInSession } from './signIn/session.ts';
import { createSignInStore } from './signIn/signInStore.ts';
import { notifySignInEnded } from './contextMenu/notify.ts';
import { requireServerAccess } from './requireServerAccess.ts';
import { createTokenSeal, keyInIndexedDb } from './tokenSeal.ts';
import { rememberedArea, rememberedSeal } from './remembered.ts';
import { deleteBlob, deleteJob, listJobs, readBlob, readJob, writeJob } from '../shared/uploadStore.ts';
import type { JobStore } from './uploads/uploadQueue.ts';
import type { UploadJob } from '../shared/uploadJob.ts';
import { describeGleanError } from '../glean/userMessages.ts';
import { GleanError } from '../glean/gleanError.ts';
import { t } from '../shared/i18n.ts';
import { IS_DEV_BUILD } from '../shared/buildFlavour.ts';
import { announceUploadsChanged } from './uploads/announce.ts';
import { showUnfinishedCount } from './uploads/badge.ts';
import { announceUploadEnded } from './contextMenu/notify.ts';
import { holdAwake } from './uploads/keepAlive.ts';
import { createUploadQueue } from './uploads/uploadQueue.ts';
import { wakeUploadsAt } from './uploads/wakeUp.ts';

/** The enterprise policy, read in parallel and kept (policySource.ts): index.ts starts the reading. */
export const policySource = createPolicySource({
  readManaged: () => browser.storage.managed.get(null),
  session: browser.storage.session,
  local: browser.storage.local,
});

/** Changes to `storage.local`: what the worker keeps of it in memory is dropped on them (remembered.ts). */
const localChanged = (listener: (keys: readonly string[]) => void): void =>
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local') listener(Object.keys(changes));
  });

// The worker's global fetch, bound: Chrome throws "Illegal invocation" for an unbound one.
const workerFetch = fetch.bind(globalThis);

const seal = createTokenSeal(keyInIndexedDb());
/** Where the sign-in window returns to; also what an administrator allows in Glean. */
const redirectUrl = browser.identity.getRedirectURL();
const signInStore = createSignInStore(browser.storage.local, seal);
/** Plain-http authorization servers only in the dev builds, as for instances (src/shared/buildFlavour.ts). */
const oauthHttp: OAuthHttp = { fetch: workerFetch, allowInsecure: IS_DEV_BUILD };

const session = createSignInSession({
  store: signInStore,
  refresh: (grant) => refresh(grant, { http: oauthHttp, now: Date.now }),
  // One refresh at a time across the worker, its restarts and every page (https://developer.mozilla.org/docs/Web/API/Web_Locks_API).
  exclusive: async (work) => await navigator.locks.request('glean-images-sign-in-refresh', work),
  now: Date.now,
  ended: async () => {
    if (await signIn.silently()) return true;
    await notifySignInEnded();
    void showBadge();
    return false;
  },
});

export const settings = createSettings({
  local: rememberedArea(browser.storage.local, localChanged),
  readPolicy: policySource.read,
  seal: rememberedSeal(seal),
  signIn: { status: signInStore.status, clear: signInStore.clear, access: session.access },
  redirectUrl,
});

export const signIn = createSignInService({
  settings,
  store: signInStore,
  flow: {
    http: oauthHttp,
    clients: createClientRegistry(browser.storage.local, oauthHttp),
    redirectUrl,
    launch: (url, interactive) => browser.identity.launchWebAuthFlow({ url, interactive }),
    now: Date.now,
  },
  changed: () => {
    void uploads.resumeWaiting();
    void cache.followSettings();
    void showBadge();
  },
});

/** A sign-in's access token that Glean refused, renewed (see signIn/renewing.ts). */
const renew: Renew = async (rejected) => {
  const status = await signInStore.status();
  if (status?.server !== rejected.baseUrl || status.ended) return undefined;
  const renewed = await session.renew(rejected.baseUrl, rejected.token);
  return renewed.grant.accessToken === rejected.token ? undefined : { ...rejected, token: renewed.grant.accessToken };
};

/** The connection for a request to Glean: the settings', once the browser lets the worker reach that server. */
export const gleanConnection: () => Promise<Connection> = requireServerAccess(settings.connection, (permissions) => browser.permissions.contains(permissions));

export const client = createGleanClient({ fetch: workerFetch });

/** The badge: unfinished uploads, or "!" when the sign-in ended. */
export const showBadge = (): Promise<void> => showUnfinishedCount(async () => (await signInStore.status())?.ended ?? false);

/** Every request to Glean, lookups and uploads alike, shares one limit on requests at once. */
const pool = createRequestPool();

/** The image cache, and `rememberUpload(conn, metadata, key, blob)` for the upload queue to call. */
// A sign-in that ended keeps its images: the person signing in again sees them at once.
export const cache = createCacheServices(() => settings.whose(true));
export const { rememberUpload } = cache;

export const lookUp = createLookUp({
  connection: gleanConnection,
  whose: () => settings.whose(true),
  renew,
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
  if (job.state !== 'uploaded' || !blob || !job.boundTo) return;
  await rememberUpload(job.boundTo, job.metadata, job.result?.key, asChecked(blob, job));
}

/** Upload jobs and their bytes, in IndexedDB (src/shared/uploadStore.ts). */
export const jobStore: JobStore = { listJobs, readJob, writeJob, deleteJob, readBlob, deleteBlob };

export const uploads = createUploadQueue({
  store: jobStore,
  who: () => settings.whose().catch(() => null),
  upload: async (blob, job, signal) => {
    const conn = await gleanConnection();
    // The queue checked the binding a moment ago; a credential that changed since waits like any other.
    if (conn.baseUrl !== job.boundTo?.server || conn.identity !== job.boundTo.identity) throw new GleanError('not-configured', 'The credential changed.');
    return pool.limit((shared) => renewingOnce(conn, (fresh) => client.uploadImage(fresh, asChecked(blob, job), job.metadata, { signal: shared }), renew), signal);
  },
  describe: (error, willRetry, retryInMs) =>
    describeGleanError(error, 'upload', { willRetry, ...(retryInMs !== undefined ? { retryInMs } : {}) }),
  describeWait: (reason) => t(reason === 'sign-in' ? 'uploadWaitingForSignIn' : 'uploadWaitingForIdentity'),
  clock: realClock,
  wakeAt: (at) => wakeUploadsAt(at, () => void uploads.pump()),
  holdAwake,
  changed: () => {
    announceUploadsChanged();
    void showBadge();
  },
  finished: async (job, blob) => {
    lookUp.askGleanAgain();
    await rememberUploaded(job, blob);
    await announceUploadEnded(job);
  },
});

/**
 * The background entry: it only wires listeners, all synchronously at the top level, because Chrome
 * may start the worker just to deliver one event and drops events whose listener was added late
 * (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events).
 */
import type { Runtime } from 'webextension-polyfill';
import { browser } from '../shared/browser.ts';
import { testConnection } from './connectionTest.ts';
import { describeError } from './describeError.ts';
import { t } from '../shared/i18n.ts';
import { createImageMenuListener } from './contextMenu/imageMenuClicked.ts';
import { createMenuItems } from './contextMenu/menuItems.ts';
import { onNotificationClicked } from './contextMenu/notify.ts';
import { createRouter } from './router.ts';
import { InvalidInput } from './invalidInput.ts';
import { fetchLinkedImage } from './capture/linkedImage.ts';
import { onScreenshotCommand } from './capture/screenshotCommand.ts';
import { cache, client, gleanConnection, jobStore, lookUp, policySource, settings, showBadge, signIn, uploads } from './services.ts';
import { createServeImage } from './serveImage.ts';
import { serveByMessage } from './serveImageByMessage.ts';
import { createImageMessageListener, type ImageMessageEvent } from './serveImageByPort.ts';
import { IMAGE_PATH } from '../shared/messages.ts';
import { logWarning } from '../shared/logFailure.ts';
import { CACHE_SWEEP_ALARM } from './cache/cacheServices.ts';
import { onSessionPort, sessionSignal } from './sessions.ts';
import { retryUploadsWaitingForAccess } from './uploads/retryWhenAllowed.ts';
import { startUpload } from './uploads/startUpload.ts';
import { sweepUploadBlobs } from './uploads/sweepUploadBlobs.ts';
import { UPLOAD_ALARM } from './uploads/wakeUp.ts';

const ownOrigin = browser.runtime.getURL('');
const serveImage = createServeImage({ ...lookUp, sessionSignal, describeError: (error) => describeError(error, 'image/serve') });

const route = createRouter({
  extensionId: browser.runtime.id,
  extensionOrigin: ownOrigin,
  describeError,
  handlers: {
    'settings/get': () => settings.view(),
    'settings/save': (input) => settings.save(input).then(cache.afterSettingsChange).then(uploads.afterCredentialChange),
    'settings/removeToken': () => settings.removeToken().then(cache.afterSettingsChange),
    'signIn/start': ({ instance }) => signIn.start(instance).then(settings.view),
    'signIn/signOut': () => signIn.signOut().then(settings.view),
    'connection/test': () => testConnection(gleanConnection, client),
    'image/serve': async ({ address }) => {
      const url = new URL(address, ownOrigin);
      return serveByMessage(await serveImage(url));
    },
    'cache/stats': () => cache.stats(),
    'cache/clear': () => {
      lookUp.askGleanAgain();
      return cache.clear();
    },
    'cache/setBudget': async ({ megabytes }) => {
      if ((await settings.managedCacheMegabytes()) !== undefined) throw new InvalidInput(t('optionsManaged'));
      return cache.setBudget(megabytes);
    },
    'upload/start': (request) => startUpload(uploads, request),
    'upload/retry': async ({ jobId }) => (await uploads.retry(jobId)) ?? null,
    'upload/remove': ({ jobId }) => uploads.remove(jobId).then(() => null),
    'link/fetch': (request) => fetchLinkedImage(request),
  },
});

/** Chrome: the extension's pages fetch images from the worker (`fetchImage` in src/shared/ask.ts). */
interface ImageFetchEvent extends Event {
  request: Request;
  clientId: string;
  respondWith(answer: Promise<Response>): void;
}
interface WorkerScope {
  clients?: { get(id: string): Promise<{ url: string } | undefined>; claim(): Promise<void> };
}
const worker = globalThis as unknown as WorkerScope;
addEventListener('fetch', (event) => {
  const { request, clientId } = event as ImageFetchEvent;
  const url = new URL(request.url);
  if (url.origin + '/' !== ownOrigin || url.pathname !== IMAGE_PATH) return;
  (event as ImageFetchEvent).respondWith(
    (async () => {
      // Only the extension's own pages: the request must come from a window of this origin.
      const client = clientId ? await worker.clients?.get(clientId) : undefined;
      if (request.method !== 'GET' || !client?.url.startsWith(ownOrigin)) return Response.json({ code: 'refused', message: t('errorRefused') }, { status: 403 });
      return serveImage(url, request.signal);
    })().catch((error: unknown) => Response.json(describeError(error, 'image/serve'), { status: 500 })),
    // A rejected answer would reach the page as a bare network error ("Failed to fetch"), not in words.
  );
});
// A page the worker does not control asks for an image over a port (src/worker/serveImageByPort.ts).
const onImageMessage = createImageMessageListener(serveImage, ownOrigin);
addEventListener('message', (event: Event) => onImageMessage(event as unknown as ImageMessageEvent));
// Only image addresses go through the fetch handler: every other request of the extension's pages
// (their HTML, scripts, styles) goes straight to the files, without waiting for this worker to start
// (https://developer.chrome.com/docs/web-platform/static-routing-api, Chrome 123+; older ones skip it).
addEventListener('install', (event) => {
  const install = event as Event & { addRoutes?(rules: unknown[]): Promise<void>; waitUntil(done: Promise<unknown>): void };
  const rules = [
    { condition: { urlPattern: { pathname: IMAGE_PATH } }, source: 'fetch-event' },
    { condition: { urlPattern: { pathname: '/*' } }, source: 'network' },
  ];
  if (install.addRoutes) install.waitUntil(install.addRoutes(rules).catch((error: unknown) => logWarning('no static routes', error)));
});
// A page opened while this worker was installing is answered by it too (https://developer.mozilla.org/docs/Web/API/Clients/claim).
addEventListener('activate', (event) => (event as Event & { waitUntil(done: Promise<unknown>): void }).waitUntil(worker.clients?.claim() ?? Promise.resolve()));

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => route(message, sender));
browser.runtime.onConnect.addListener(onSessionPort);
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === UPLOAD_ALARM) void uploads.pump();
  if (alarm.name === CACHE_SWEEP_ALARM) {
    void cache.sweep();
    void sweepUploadBlobs();
  }
});
// An administrator's policy may change the server and the cache size: the cache follows both.
const followPolicy = async (): Promise<void> => {
  const megabytes = await settings.managedCacheMegabytes();
  if (megabytes !== undefined) await cache.setBudget(megabytes);
  await cache.followSettings();
};
browser.storage.onChanged.addListener((_changes, area) => {
  if (area === 'managed') void policySource.refresh().then(followPolicy);
});

/** At a browser start, an install or an update. */
const afterStart = (): void => {
  void cache.scheduleSweep();
  void followPolicy();
  // The badge lasts while the browser runs, across worker restarts; a browser start or an update shows it
  // empty until recounted. Job changes recount it themselves (services.ts).
  void showBadge();
};
browser.runtime.onStartup.addListener(afterStart);
browser.runtime.onInstalled.addListener(() => {
  afterStart();
  void createMenuItems();
  // An update from a version that stored the token as text seals it (src/worker/tokenSeal.ts).
  void settings.sealStoredToken();
});
browser.contextMenus.onClicked.addListener(
  createImageMenuListener({ uploadDefaults: settings.uploadDefaults, uploads }),
);
browser.notifications.onClicked.addListener((id) => void onNotificationClicked(id));
browser.commands.onCommand.addListener(onScreenshotCommand);
// Access to the Glean server granted (from "Grant access" or the browser's settings): uploads that failed without it go again.
browser.permissions.onAdded.addListener(() => void retryUploadsWaitingForAccess(jobStore, uploads));

// The enterprise policy is read once per worker start, in parallel with everything else: nothing
// waits on storage.managed, whose first read after a browser start takes seconds (policySource.ts).
void policySource.refresh();
// Whatever woke the worker (install, browser start, a message, an alarm), unfinished uploads resume,
// and bytes that no upload will ever send leave the disk.
void uploads.pump();
void sweepUploadBlobs();

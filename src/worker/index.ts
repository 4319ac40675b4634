/**
 * The background entry: it only wires listeners, all synchronously at the top level, because Chrome
 * may start the worker just to deliver one event and drops events whose listener was added late
 * (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events).
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { testConnection } from './connectionTest.ts';
import { describeError } from './describeError.ts';
import { createRouter } from './router.ts';
import { client, lookUp, settings, uploads } from './services.ts';
import { onSessionPort, sessionSignal } from './sessions.ts';
import { startUpload } from './uploads/startUpload.ts';
import { UPLOAD_ALARM } from './uploads/wakeUp.ts';

const route = createRouter({
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  describeError,
  handlers: {
    'settings/get': () => settings.view(),
    'settings/save': (input) => settings.save(input),
    'settings/removeToken': () => settings.removeToken(),
    'connection/test': () => testConnection(settings.connection, client),
    'image/lookUp': ({ query, session }) => lookUp(query, sessionSignal(session)),
    'upload/start': (request) => startUpload(uploads, request),
    'upload/retry': async ({ jobId }) => (await uploads.retry(jobId)) ?? null,
    'upload/remove': async ({ jobId }) => {
      await uploads.remove(jobId);
      return null;
    },
  },
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => route(message, sender));
browser.runtime.onConnect.addListener(onSessionPort);
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === UPLOAD_ALARM) void uploads.pump();
});

// Whatever woke the worker (install, browser start, a message, an alarm), unfinished uploads resume.
void uploads.pump();

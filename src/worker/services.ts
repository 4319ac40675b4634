/**
 * The worker's parts, wired to the real browser. Building them does no I/O, so the worker's top level
 * stays synchronous (Chrome may start it only to deliver one event).
 */
import browser from 'webextension-polyfill';
import { createGleanClient } from '../glean/client.ts';
import { RequestPool } from '../glean/sharedRequests.ts';
import type { AuthType } from '../shared/messages.ts';
import { createLookUp } from './lookUp.ts';
import { realClock } from './clock.ts';
import { createSettings, type ManagedPolicy } from './settings.ts';

async function readPolicy(): Promise<ManagedPolicy> {
  const policy = await browser.storage.managed.get(['server', 'authType']);
  const authType: AuthType | undefined =
    policy.authType === 'OAUTH' ? 'OAUTH' : policy.authType === '' ? '' : undefined;
  return {
    ...(typeof policy.server === 'string' && policy.server ? { instance: policy.server } : {}),
    ...(authType !== undefined ? { authType } : {}),
  };
}

export const settings = createSettings({ local: browser.storage.local, readPolicy });

// The worker's global fetch, bound: Chrome throws "Illegal invocation" for an unbound one.
export const client = createGleanClient({ fetch: fetch.bind(globalThis) });

export const lookUp = createLookUp({
  connection: settings.connection,
  client,
  pool: new RequestPool(),
  clock: realClock,
});

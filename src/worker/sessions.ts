/**
 * Pages open a port named `session:<id>` and pass that id with their lookups; when the port closes
 * (the popup was closed), the lookups it started are aborted. Ports are rebuilt by the pages after a
 * worker restart, so losing this map loses nothing.
 */
import type { Runtime } from 'webextension-polyfill';
import { SESSION_PORT_PREFIX } from '../shared/messages.ts';

const openSessions = new Map<string, AbortController>();

export function onSessionPort(port: Runtime.Port): void {
  if (!port.name.startsWith(SESSION_PORT_PREFIX)) return;
  const id = port.name.slice(SESSION_PORT_PREFIX.length);
  const controller = new AbortController();
  openSessions.set(id, controller);
  port.onDisconnect.addListener(() => {
    controller.abort(new DOMException('The page that asked was closed.', 'AbortError'));
    openSessions.delete(id);
  });
}

/** A signal that aborts when the page of that session closes; never aborts for an unknown session. */
export function sessionSignal(id: string): AbortSignal {
  return openSessions.get(id)?.signal ?? new AbortController().signal;
}

/**
 * A port that lives as long as the popup: when the popup closes, the worker sees the port disconnect
 * and aborts the lookups this popup started, instead of finishing them for nobody.
 */
import { browser } from '../shared/browser.ts';
import { SESSION_PORT_PREFIX } from '../shared/messages.ts';

export const session = crypto.randomUUID();

function connect(): void {
  const port = browser.runtime.connect({ name: SESSION_PORT_PREFIX + session });
  // Chrome disconnects every port when it stops an idle worker; the popup is still open, so reconnect.
  port.onDisconnect.addListener(() => connect());
}

connect();

/**
 * Chrome stops a service worker after 30 s without extension events, even mid-fetch. Since Chrome 110
 * any extension API call resets that timer, so a cheap call every 20 s keeps a long upload alive
 * (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/lifecycle#keep_a_service_worker_alive).
 * Firefox runs the same code as an event page (scripts/targets.ts), suspended after 30 s idle
 * (`extensions.background.idle.timeout`, https://bugzil.la/1771203); there, too, an extension API call
 * from the background resets the timer (ExtensionParent.sys.mjs, reason "parentApiCall"; tried on
 * Firefox ESR 153: calls every 400 ms kept a background with a 1 s timeout alive).
 */
import { browser } from '../../shared/browser.ts';

const PING_EVERY_MS = 20_000;
let holders = 0;
let timer: ReturnType<typeof setInterval> | undefined;

export function holdAwake(): () => void {
  if (holders++ === 0) timer = setInterval(() => void browser.runtime.getPlatformInfo(), PING_EVERY_MS);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) clearInterval(timer);
  };
}

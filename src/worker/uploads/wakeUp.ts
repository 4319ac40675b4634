/**
 * Waking the upload queue when a waiting job is due. Short waits use a timer while the worker stays
 * awake; an alarm is always set too, because the worker may be stopped before the timer fires and
 * Chrome's alarms fire at most every 30 s (https://developer.chrome.com/docs/extensions/reference/api/alarms).
 */
import { browser } from '../../shared/browser.ts';
import { holdAwake } from './keepAlive.ts';

export const UPLOAD_ALARM = 'upload-jobs';
const MIN_ALARM_DELAY_MS = 30_000;

let timer: ReturnType<typeof setTimeout> | undefined;
let releaseTimer: (() => void) | undefined;

export function wakeUploadsAt(at: number | null, pump: () => void): void {
  clearTimeout(timer);
  releaseTimer?.();
  releaseTimer = undefined;
  if (at === null) {
    void browser.alarms.clear(UPLOAD_ALARM);
    return;
  }
  const now = Date.now();
  const delay = Math.max(0, at - now);
  if (delay < MIN_ALARM_DELAY_MS) {
    releaseTimer = holdAwake();
    timer = setTimeout(() => {
      releaseTimer?.();
      releaseTimer = undefined;
      pump();
    }, delay);
  }
  // Asked for the exact time: the browser delays it to its own minimum where it has one.
  void browser.alarms.create(UPLOAD_ALARM, { when: at });
}

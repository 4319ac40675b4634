/** The real clock, sleep and randomness the pure retry loop is given in the browser. */
import type { RetryDeps } from '../glean/retryPolicy.ts';

export type Clock = Pick<RetryDeps, 'now' | 'sleep' | 'random'>;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export const realClock: Clock = { now: Date.now, sleep, random: Math.random };

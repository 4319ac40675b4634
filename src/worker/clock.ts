/** The real clock, sleep and randomness the pure retry loop is given in the browser. */
import type { RetryDeps } from '../glean/retryPolicy.ts';

export type Clock = Pick<RetryDeps, 'now' | 'sleep' | 'random'>;

// No abort of its own: `retrying` stops waiting the moment its signal aborts (unlessAborted), and a
// timer left to run out keeps nothing alive.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const realClock: Clock = { now: Date.now, sleep, random: Math.random };

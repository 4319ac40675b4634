/** The real clock, sleep and randomness the pure retry loop is given in the browser. */
import type { RetryDeps } from '../glean/retryPolicy.ts';

export type Clock = Pick<RetryDeps, 'now' | 'sleep' | 'random'>;

// A timer left to run out after an abort keeps nothing alive (see RetryDeps.sleep).
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const realClock: Clock = { now: Date.now, sleep, random: Math.random };

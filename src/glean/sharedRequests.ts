/**
 * Keeps the extension polite to Glean: identical lookups in flight share one request (a page
 * full of the same avatar, a person pressing Look up twice), and no more than a few requests run at
 * once, the rest waiting their turn in order. No timers: waiting is only ever for another request.
 * Optionally a success goes on answering identical calls for a while after it came (`reuseFor`).
 */
import { abortedError, unlessAborted } from './retryPolicy.ts';

/** One request and the callers waiting for it. */
interface Shared {
  result: Promise<unknown>;
  controller: AbortController;
  waiters: number;
  /** Until when it answers identical calls, once it succeeded. */
  answersUntil?: number;
}

type Start<T> = (signal: AbortSignal) => Promise<T>;

/** Browsers allow 6 connections per host over HTTP/1.1; leaving two free keeps the Glean web app
 * usable in other tabs while an upload batch runs. */
export function createRequestPool<Answer = unknown>(
  maxConcurrent = 4,
  /** How long a success goes on answering identical calls; 0: only while in flight. */
  reuseFor: (answer: Answer) => number = () => 0,
  now = Date.now,
) {
  let free = maxConcurrent;
  /** Callers waiting for a slot, in call order. */
  const queue: Array<() => void> = [];
  /** Requests in flight, and successes still answering, by key. */
  const current = new Map<string, Shared>();

  /** Swept on every call rather than by a timer. */
  function forgetExpired(): void {
    const at = now();
    for (const [key, shared] of current) if (shared.answersUntil !== undefined && shared.answersUntil < at) current.delete(key);
  }

  function release(): void {
    const next = queue.shift();
    if (next) next();
    else free++;
  }

  /** Rejects (and leaves the queue, or hands back a slot it was given meanwhile) if `signal` aborts while waiting. */
  function acquire(signal: AbortSignal): Promise<void> {
    if (free > 0 && !signal.aborted) {
      free--;
      return Promise.resolve();
    }
    let grant!: () => void;
    const granted = new Promise<void>((resolve) => (grant = resolve));
    queue.push(grant);
    return unlessAborted(granted, signal, () => {
      const at = queue.indexOf(grant);
      if (at < 0) release();
      else queue.splice(at, 1);
    });
  }

  async function limited(start: Start<unknown>, signal: AbortSignal): Promise<unknown> {
    await acquire(signal);
    try {
      return await start(signal);
    } finally {
      release();
    }
  }

  function started(start: Start<unknown>): Shared {
    const controller = new AbortController();
    return { result: limited(start, controller.signal), controller, waiters: 0 };
  }

  /** One caller's view of a shared request: its own abort rejects its own promise at once. */
  function wait<T>(shared: Shared, signal: AbortSignal | undefined, key?: string): Promise<T> {
    shared.waiters++;
    // Nobody may be listening once every waiter has left; the outcome is still handled.
    shared.result.catch(() => undefined);
    return unlessAborted(shared.result as Promise<T>, signal, () => {
      if (--shared.waiters > 0) return;
      // Forget it first, so a caller arriving now starts afresh instead of joining a cancelled request.
      if (key !== undefined && current.get(key) === shared) current.delete(key);
      shared.controller.abort();
    });
  }

  return {
    /**
     * Joins the request in flight under `key`, or starts one with `start` when there is none.
     * `start` gets the shared request's signal, which aborts only once every caller has aborted its
     * own wait, so one caller leaving never cancels the others. Callers sharing a key must expect the
     * same result type: the key names the request.
     */
    run<T extends Answer>(key: string, start: Start<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(abortedError());
      forgetExpired();
      let shared = current.get(key);
      if (!shared) {
        const entry = started(start);
        current.set(key, entry);
        const forget = (): void => {
          if (current.get(key) === entry) current.delete(key);
        };
        // A failure is never given again: the next call asks afresh.
        entry.result.then((answer) => {
          const ms = reuseFor(answer as T);
          if (ms) entry.answersUntil = now() + ms;
          else forget();
        }, forget);
        shared = entry;
      }
      return wait(shared, signal, key);
    },

    /**
     * What was asked may have changed: the next call of every key asks afresh. A request still in flight
     * goes on for its callers but answers no new ones, so an answer from before the change is never kept.
     */
    forgetAll(): void {
      current.clear();
    },

    /** Runs `start` within the concurrency limit without sharing it (uploads: never identical). */
    limit<T extends Answer>(start: Start<T>, signal?: AbortSignal): Promise<T> {
      return wait(started(start), signal);
    },
  };
}

export type RequestPool = ReturnType<typeof createRequestPool>;

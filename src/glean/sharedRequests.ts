/**
 * Keeps the extension polite to Glean: identical lookups in flight share one request (a page
 * full of the same avatar, a person pressing Look up twice), and no more than a few requests run at
 * once, the rest waiting their turn in order. No timers: waiting is only ever for another request.
 */
import { GleanError } from './gleanError.ts';

/** Browsers allow 6 connections per host over HTTP/1.1; leaving two free keeps the Glean web app
 * usable in other tabs while an upload batch runs. */
export const DEFAULT_MAX_CONCURRENT = 4;

function waitAborted(): GleanError {
  return new GleanError('aborted', 'Stopped waiting for Glean.');
}

/** A FIFO semaphore: `acquire` resolves in call order as slots free up. */
class Slots {
  private free: number;
  private readonly queue: Array<{ grant: () => void }> = [];

  constructor(max: number) {
    this.free = max;
  }

  /** Rejects (and leaves the queue) if `signal` aborts while waiting. */
  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(waitAborted());
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.queue.splice(this.queue.indexOf(entry), 1);
        reject(waitAborted());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
    });
  }

  release(): void {
    const next = this.queue.shift();
    if (next === undefined) this.free++;
    else next.grant();
  }
}

/** One request and the callers waiting for it. */
interface Shared {
  result: Promise<unknown>;
  controller: AbortController;
  waiters: number;
}

export class RequestPool {
  private readonly slots: Slots;
  private readonly inFlight = new Map<string, Shared>();

  constructor(maxConcurrent: number = DEFAULT_MAX_CONCURRENT) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new RangeError(`maxConcurrent must be a positive integer, not ${maxConcurrent}`);
    }
    this.slots = new Slots(maxConcurrent);
  }

  /**
   * Joins the request in flight under `key`, or starts one with `start` when there is none.
   * `start` gets the shared request's signal, which aborts only once every caller has aborted its
   * own wait, so one caller leaving never cancels the others. Callers sharing a key must expect the
   * same result type: the key names the request.
   */
  run<T>(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(waitAborted());
    let shared = this.inFlight.get(key);
    if (shared === undefined) {
      const controller = new AbortController();
      const result = this.limited(start, controller.signal);
      const entry: Shared = { result, controller, waiters: 0 };
      this.inFlight.set(key, entry);
      const forget = (): void => {
        if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
      };
      result.then(forget, forget);
      shared = entry;
    }
    return this.wait(key, shared, signal) as Promise<T>;
  }

  /** Runs `start` within the concurrency limit without sharing it (uploads: never identical). */
  limit<T>(start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const controller = new AbortController();
    return this.wait(undefined, { result: this.limited(start, controller.signal), controller, waiters: 0 }, signal) as Promise<T>;
  }

  private async limited<T>(start: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    await this.slots.acquire(signal);
    try {
      return await start(signal);
    } finally {
      this.slots.release();
    }
  }

  /** One caller's view of a shared request: its own abort rejects its own promise at once. */
  private wait(key: string | undefined, shared: Shared, signal: AbortSignal | undefined): Promise<unknown> {
    shared.waiters++;
    // Nobody may be listening once every waiter has left; the outcome is still handled.
    shared.result.catch(() => undefined);
    if (signal === undefined) return shared.result;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        shared.waiters--;
        if (shared.waiters === 0) {
          // Forget it first, so a caller arriving now starts afresh instead of joining a cancelled request.
          if (key !== undefined && this.inFlight.get(key) === shared) this.inFlight.delete(key);
          shared.controller.abort();
        }
        reject(waitAborted());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      shared.result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

/**
 * When and how long to wait before asking Glean again. Pure: the clock, the sleep and the dice are
 * passed in, so the whole policy runs in tests without real time passing.
 *
 * The floor to beat is the official SDKs (https://github.com/gleanwork/api-client-typescript, "Retries"): retries off by default; when on,
 * 429/500/502/503/504, 500 ms initial ×1.5, 60 s max interval, 1 h max elapsed, up to 1 s jitter,
 * and (TypeScript SDK only) Retry-After honoured but cut down to the max interval.
 */
import { GleanError } from './gleanError.ts';

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
  /** No retry may start after this much time since the first attempt began. */
  budgetMs: number;
  /** Up to this much random time added to each backoff delay, so clients that failed together do
   * not come back together. */
  jitterMs: number;
}

/** A lookup: a person is waiting in the popup. */
export const LOOKUP_RETRY: RetryPolicy = {
  // One blip rarely comes alone, but a third failure in a row is an answer worth showing.
  maxAttempts: 3,
  // The SDKs' initial interval: short enough to go unnoticed in a popup.
  initialDelayMs: 500,
  // ×2 rather than the SDKs' ×1.5: with only two waits (0.5 s, 1 s) the second should be a real pause.
  multiplier: 2,
  // Never leave a person staring at a spinner for longer than this between tries.
  maxDelayMs: 4_000,
  // About as long as people wait on an interactive answer before giving up on it; past this an
  // error with advice is more useful than another spinner. (A lookup attempt that times out at
  // 15 s is therefore not retried.)
  budgetMs: 10_000,
  // The SDKs' 1 s of jitter scaled to the 0.5-1 s delays: it still spreads clients out without
  // doubling the wait.
  jitterMs: 250,
};

/** An upload job: it outlives the popup, so it can afford to wait for Glean to recover. */
export const UPLOAD_RETRY: RetryPolicy = {
  // Waits of 1, 2, 4, 8, 16, 32, 60, 60, 60 s: about four minutes of patience before reporting
  // failure, so that Glean offline for a couple of minutes (a restart, a change of network) costs
  // nobody a Retry click; the SDKs' 60 s intervals give the same reach.
  maxAttempts: 10,
  // Each upload resends the whole image; one second keeps a flapping server from being hammered.
  initialDelayMs: 1_000,
  // Doubling reaches the 60 s ceiling within the attempts above.
  multiplier: 2,
  // The SDKs' 60 s max interval.
  maxDelayMs: 60_000,
  // The SDKs' 1 h max elapsed time; in practice only a long Retry-After comes near it.
  budgetMs: 3_600_000,
  // The SDKs' jitter (up to 1 s).
  jitterMs: 1_000,
};

const DELTA_SECONDS = /^\d+$/;
/** RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, RFC 850 or asctime, all of which start with a day name.
 * Checked before Date.parse, which would otherwise read "1.5" or "2024" as dates. */
const HTTP_DATE = /^[A-Za-z]{3,9},? /;

/** How long the server asked us to wait, in ms, or undefined when it did not (or said nonsense).
 * `retry-after-ms` (a de-facto header the TypeScript SDK honours) wins over `Retry-After`, which is
 * delta-seconds or an HTTP date (RFC 9110 §10.2.3); a date in the past means "now". */
export function parseRetryAfter(headers: Headers, nowMs: number): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms !== undefined && ms !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter === undefined || retryAfter === '') return undefined;
  if (DELTA_SECONDS.test(retryAfter)) return Number(retryAfter) * 1000;
  if (!HTTP_DATE.test(retryAfter)) return undefined;
  // asctime dates carry no zone but are GMT by definition; Date.parse would read them as local time.
  const date = Date.parse(/\bGMT$/i.test(retryAfter) ? retryAfter : `${retryAfter} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export interface RetryState {
  /** Attempts done so far, 1-based: 1 after the first failure. */
  attempt: number;
  /** Time since the first attempt began. */
  elapsedMs: number;
  /** Its `retryable` says whether the failure might go away by itself (the table is in gleanError.ts). */
  error: GleanError;
}

/** How long to wait before the next attempt, or undefined: stop. `random` returns a number in
 * [0, 1), like Math.random. */
export function decideRetry(policy: RetryPolicy, { attempt, elapsedMs, error }: RetryState, random: () => number): number | undefined {
  if (!error.retryable || attempt >= policy.maxAttempts) return undefined;
  // The server knows its own load: unlike the SDKs we do not cut its Retry-After down to
  // maxDelayMs, since asking earlier would only earn another 429/503. The budget still applies.
  const backoff = policy.initialDelayMs * policy.multiplier ** (attempt - 1);
  // Capped after the jitter is added, as the SDKs do, so no backoff ever exceeds maxDelayMs.
  const delayMs = error.retryAfterMs ?? Math.round(Math.min(policy.maxDelayMs, backoff + random() * policy.jitterMs));
  return elapsedMs + delayMs > policy.budgetMs ? undefined : delayMs;
}

export interface RetryDeps {
  now: () => number;
  /** Waits ms. Need not stop early: `retrying` stops waiting the moment its signal aborts. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  signal?: AbortSignal;
}

export const abortedError = (): GleanError => new GleanError('aborted', 'Stopped waiting for Glean.');

/** Settles like `work`, or rejects with an 'aborted' GleanError as soon as `signal` aborts (calling
 * `onAbort` first), even if `work` itself ignores the signal (an injected sleep or attempt might). */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort?: () => void): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbort?.();
      reject(abortedError());
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    // The listener goes as `work` settles, not a microtask later: a caller resumed by the answer that
    // aborts at once must not also run `onAbort` (the request pool would hand its slot back twice).
    const settled = (): void => signal.removeEventListener('abort', abort);
    work.then(
      (value) => {
        settled();
        resolve(value);
      },
      (error: unknown) => {
        settled();
        reject(error);
      },
    );
  });
}

/** Runs `attempt(1)`, `attempt(2)`, ... until one succeeds or decideRetry says stop; then throws the
 * last error. Anything thrown that is not a GleanError is a bug, not a Glean failure, and is
 * rethrown at once. */
export async function retrying<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>, deps: RetryDeps): Promise<T> {
  const { signal } = deps;
  const startedAt = deps.now();
  for (let n = 1; ; n++) {
    if (signal?.aborted) throw abortedError();
    try {
      return await unlessAborted(Promise.resolve().then(() => attempt(n)), signal);
    } catch (e) {
      if (signal?.aborted) throw abortedError();
      if (!(e instanceof GleanError)) throw e;
      const delayMs = decideRetry(policy, { attempt: n, elapsedMs: deps.now() - startedAt, error: e }, deps.random);
      if (delayMs === undefined) throw e;
      await unlessAborted(deps.sleep(delayMs), signal).catch((sleepError: unknown) => {
        throw signal?.aborted ? abortedError() : sleepError;
      });
    }
  }
}

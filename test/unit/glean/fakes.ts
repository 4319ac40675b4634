/** Test doubles for src/glean: a fetch that records what it was asked, and a clock that only moves
 * when told to. Nothing here waits on real time. */

export interface RecordedRequest {
  url: string;
  method: string;
  /** Lower-cased names, as Headers reports them. */
  headers: Record<string, string>;
  body: RequestInit['body'];
  /** The body's bytes, when it was a Blob. */
  bodyBytes?: Uint8Array;
  credentials: RequestInit['credentials'];
  cache: RequestInit['cache'];
  redirect: RequestInit['redirect'];
  signal: AbortSignal | null | undefined;
}

export type Respond = (request: RecordedRequest) => Response | Promise<Response>;

/** A fetch that records every request, then answers with `respond`. */
export function fakeFetch(respond: Respond): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const recorded: RecordedRequest = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: init.body,
      credentials: init.credentials,
      cache: init.cache,
      redirect: init.redirect,
      signal: init.signal,
    };
    if (init.body instanceof Blob) recorded.bodyBytes = new Uint8Array(await init.body.arrayBuffer());
    requests.push(recorded);
    return respond(recorded);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** Answers never, until the request's signal aborts; then rejects like fetch does, with the reason. */
export function hangUntilAborted(request: RecordedRequest): Promise<Response> {
  return new Promise((_, reject) => {
    const signal = request.signal;
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function imageResponse(bytes: Uint8Array<ArrayBuffer>, contentType = 'image/png'): Response {
  return new Response(bytes, { status: 200, headers: { 'Content-Type': contentType } });
}

export function jsonResponse(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });
}

export function textResponse(text: string, status: number, contentType = 'text/plain', headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { 'Content-Type': contentType, ...headers } });
}

/** A clock that moves only when the test (or the fake sleep) moves it. */
export function fakeClock(start = 1_700_000_000_000): {
  now: () => number;
  advance: (ms: number) => void;
  sleeps: number[];
  sleep: (ms: number) => Promise<void>;
} {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    sleeps,
    /** Returns at once, as if ms had passed. */
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
  };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (one macrotask turn; no time passes). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

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

/** Where a fake server answers: full URL (without query) → its answer. */
export type Routes = Record<string, (request: RecordedRequest) => Response>;

/**
 * A fetch that handles redirects as browsers do (https://fetch.spec.whatwg.org/#http-redirect-fetch):
 * 'follow' re-sends the request to the Location with the same headers (minus Authorization across
 * origins) and, on 307/308, the same body; 'manual' answers an "opaqueredirect" (status 0, no
 * headers, so no Location); 'error' rejects with a TypeError. Each hop is recorded.
 */
export function browserFetch(routes: Routes): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const { fetch: recordingFetch, requests } = fakeFetch((request) => {
    const route = routes[request.url.split('?')[0] ?? ''];
    return route ? route(request) : textResponse('no route', 404);
  });
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(String(input));
    let current: RequestInit = init;
    for (let hop = 0; hop <= 20; hop += 1) {
      const response = await recordingFetch(url.href, current);
      const location = response.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(response.status) || location === null) return response;
      if (init.redirect === 'error') throw new TypeError('Failed to fetch');
      if (init.redirect === 'manual') return opaqueRedirect();
      const next = new URL(location, url);
      const headers = new Headers(current.headers);
      if (next.origin !== url.origin) headers.delete('authorization');
      const keepsBody = response.status === 307 || response.status === 308;
      current = { ...current, headers, ...(keepsBody ? {} : { method: 'GET', body: undefined }) };
      url = next;
    }
    throw new TypeError('Failed to fetch: too many redirects');
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** What a browser's fetch answers for a redirect under `redirect: 'manual'`: type "opaqueredirect",
 * status 0, no headers, no body (https://fetch.spec.whatwg.org/#concept-filtered-response-opaque-redirect). */
export function opaqueRedirect(): Response {
  const response = new Response(null, { status: 200 });
  Object.defineProperty(response, 'type', { value: 'opaqueredirect' });
  Object.defineProperty(response, 'status', { value: 0 });
  Object.defineProperty(response, 'ok', { value: false });
  return response;
}

export function redirectTo(location: string, status = 302): Response {
  return new Response(null, { status, headers: { Location: location } });
}

/**
 * The two Glean images operations (sandbox/glean-images-openapi.yaml), one HTTP attempt per call.
 * Retrying is the caller's job (retryPolicy.ts `retrying`), since a lookup and an upload job retry
 * very differently. Only fetch, Headers, Blob, AbortSignal and URL are used: it runs unchanged in
 * the service worker, a page and Node.
 */
import type { ImageMetadata, ImageQuery } from '../shared/imageMetadata.ts';
import { GleanError, bodyExcerpt, codeForStatus } from './gleanError.ts';
import { readAtMost } from './readAtMost.ts';
import { parseRetryAfter } from './retryPolicy.ts';

export interface GleanConnection {
  /** For example https://acme-prod-be.glean.com, no trailing slash (see instance.ts parseInstance). */
  baseUrl: string;
  token: string;
  /** A user's email, for global tokens (sent as X-Glean-ActAs). */
  actAs?: string;
  /** For access tokens from the company's identity provider (sent as X-Glean-Auth-Type). */
  authType?: 'OAUTH';
}

export interface GleanTimeouts {
  lookupMs: number;
  uploadBaseMs: number;
  uploadMsPerMB: number;
}

/** The official SDKs set no timeout at all (https://github.com/gleanwork/api-client-typescript#timeouts), so a connection that hangs would hang the popup or an
 * upload job forever. */
export const DEFAULT_TIMEOUTS: GleanTimeouts = {
  // Generous for one image; beyond it a person would rather see an error and try again.
  lookupMs: 15_000,
  // Covers connection set-up and the server storing the image...
  uploadBaseMs: 30_000,
  // ...plus sending it at ~100 KB/s, a slow uplink, so big files on slow links are not cut off.
  uploadMsPerMB: 10_000,
};

export interface GleanClientDeps {
  fetch: typeof fetch;
  /** For Retry-After dates; Date.now by default. */
  now?: () => number;
  /** AbortSignal.timeout by default; tests pass a signal they abort themselves. */
  timeoutSignal?: (ms: number) => AbortSignal;
}

export interface FetchedImage {
  blob: Blob;
  /** The media type without parameters, lower case, e.g. image/png. */
  contentType: string;
  size: number;
}

export interface UploadedImage {
  /** Absolute; Glean's `url`, resolved against the instance when relative. */
  url: string;
  /** The `key` query parameter of `url`, for later lookups, when it has one. */
  key?: string;
}

export interface GleanClient {
  getImage(conn: GleanConnection, query: ImageQuery, opts?: { signal?: AbortSignal }): Promise<FetchedImage>;
  uploadImage(
    conn: GleanConnection,
    image: Blob,
    metadata: ImageMetadata,
    opts?: { signal?: AbortSignal },
  ): Promise<UploadedImage>;
}

const IMAGES_PATH = '/rest/api/v1/images';
const UPLOAD_PATH = '/rest/api/v1/uploadimage';
/** Enough for any error page's gist; the spec declares no error bodies, so anything could come. */
const ERROR_BODY_BYTES = 2_048;
/** An UploadImageResponse is a URL and a few metadata fields; anything far larger is not one. */
const UPLOAD_ANSWER_BYTES = 64 * 1_024;
const BYTES_PER_MB = 1_048_576;

/** `key` alone, or any of type/id/ds/cid (sandbox/glean-images-openapi.yaml); empty parameters are omitted. */
function queryParams(query: ImageQuery): Array<[string, string]> {
  if ('key' in query) return query.key === '' ? [] : [['key', query.key]];
  return metadataParams(query.metadata);
}

function metadataParams(metadata: ImageMetadata): Array<[string, string]> {
  const params: Array<[string, string]> = [];
  for (const name of ['type', 'id', 'ds', 'cid'] as const) {
    const value = metadata[name];
    if (value !== undefined && value !== '') params.push([name, value]);
  }
  return params;
}

/** `conn` comes from settings (src/worker/settings.ts `connection`), which sends nothing without a server and a credential. */
function endpoint(conn: GleanConnection, path: string, params: Array<[string, string]>): URL {
  const url = new URL(conn.baseUrl + path);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url;
}

function authHeaders(conn: GleanConnection, accept: string): Headers {
  const headers = new Headers({ Authorization: `Bearer ${conn.token}`, Accept: accept });
  if (conn.actAs !== undefined && conn.actAs !== '') headers.set('X-Glean-ActAs', conn.actAs);
  if (conn.authType === 'OAUTH') headers.set('X-Glean-Auth-Type', 'OAUTH');
  return headers;
}

function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** At most about maxBytes of the body as text (see readAtMost). */
const readText = async (response: Response, maxBytes: number): Promise<string> => (await readAtMost(response, maxBytes)).body.text();

/** One request as the error messages name it, e.g. "GET /rest/api/v1/images". */
interface Outgoing {
  what: string;
  url: URL;
  init: RequestInit;
  token: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A 3xx with a Location, or a browser's opaque stand-in for one. 304 is not a redirect. */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || [301, 302, 303, 307, 308].includes(response.status);
}

function summary(text: string, excerpt: string): string {
  return excerpt === '' ? text : `${text}: ${excerpt}`;
}

function typeName(contentType: string): string {
  return contentType === '' ? 'no content type' : contentType;
}

export function createGleanClient(deps: GleanClientDeps): GleanClient {
  const now = deps.now ?? Date.now;
  const timeouts = DEFAULT_TIMEOUTS;
  const timeoutSignal = deps.timeoutSignal ?? ((ms: number) => AbortSignal.timeout(ms));

  /** An answer that is not the operation's: a non-2xx one, or a 2xx that is not the `expected` one. */
  function answerError(request: Outgoing, response: Response, text: string, expected?: string): GleanError {
    const contentType = mediaType(response);
    const excerpt = bodyExcerpt(text, [request.token]);
    const answered = expected === undefined ? `HTTP ${response.status} with ${typeName(contentType)}` : `${typeName(contentType)} instead of ${expected}`;
    return new GleanError(expected === undefined ? codeForStatus(response.status) : 'bad-response', summary(`${request.what} answered ${answered}`, excerpt), {
      status: response.status,
      contentType,
      bodyExcerpt: excerpt,
      retryAfterMs: parseRetryAfter(response.headers, now()),
    });
  }

  /**
   * Never lets the browser follow a redirect (`redirect: 'manual'`): fetch would send the same
   * X-Glean-ActAs and X-Glean-Auth-Type (and, in browsers older than the Fetch change that drops it,
   * Authorization) to whatever origin the redirect names, another Glean tenant under *.glean.com
   * included, and re-send an upload's body there on a 307/308. Browsers hide a manual redirect's
   * Location (an "opaqueredirect" response, status 0:
   * https://fetch.spec.whatwg.org/#concept-filtered-response-opaque-redirect), so a redirect cannot be
   * told same-origin from cross-origin, and every one is refused: a clear error beats sending the
   * identity somewhere unknown.
   */
  async function fetchWithoutRedirects(request: Outgoing, init: RequestInit): Promise<Response> {
    const response = await deps.fetch(request.url.href, { ...init, redirect: 'manual' });
    if (!isRedirect(response)) return response;
    await response.body?.cancel().catch(() => undefined);
    // An opaque redirect has status 0, which says nothing.
    throw new GleanError('redirected', `${request.what} was redirected; no redirect is followed.`, response.status ? { status: response.status } : {});
  }

  /** One request: timeout, abort and network failures turned into GleanErrors. */
  async function exchange<T>(request: Outgoing, read: (response: Response) => Promise<T>): Promise<T> {
    const { what, init, timeoutMs, signal } = request;
    if (signal?.aborted) throw new GleanError('aborted', `${what} cancelled before it was sent.`);
    const timeout = timeoutSignal(timeoutMs);
    try {
      const response = await fetchWithoutRedirects(request, {
        ...init,
        // The user's Glean cookies must not ride along: the token alone says who is asking.
        credentials: 'omit',
        // Images are private to the token's user; keep them out of the HTTP cache, and let a
        // lookup right after an upload see the new image.
        cache: 'no-store',
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
      // The status is the answer; a body that cannot be read only costs us the excerpt.
      if (!response.ok) throw answerError(request, response, await readText(response, ERROR_BODY_BYTES).catch(() => ''));
      return await read(response);
    } catch (e) {
      if (e instanceof GleanError) throw e;
      if (signal?.aborted) throw new GleanError('aborted', `${what} cancelled.`, { cause: e });
      if (timeout.aborted) {
        throw new GleanError('timeout', `${what} got no answer within ${timeoutMs / 1000} s.`, { cause: e });
      }
      // fetch rejects with a TypeError for every network failure: DNS, TLS, offline, refused, CORS.
      if (e instanceof TypeError) throw new GleanError('unreachable', `${what} failed: ${e.message}`, { cause: e });
      throw e;
    }
  }

  return {
    async getImage(conn, query, opts = {}) {
      const url = endpoint(conn, IMAGES_PATH, queryParams(query));
      const init: RequestInit = { method: 'GET', headers: authHeaders(conn, 'image/*') };
      const request: Outgoing = {
        what: `GET ${IMAGES_PATH}`,
        url,
        init,
        token: conn.token,
        timeoutMs: timeouts.lookupMs,
        signal: opts.signal,
      };
      return exchange(request, async (response) => {
        if (!mediaType(response).startsWith('image/')) {
          throw answerError(request, response, await readText(response, ERROR_BODY_BYTES), 'an image');
        }
        const blob = await response.blob();
        if (blob.size === 0) throw answerError(request, response, '', 'an image (empty body)');
        return { blob, contentType: mediaType(response), size: blob.size };
      });
    },

    async uploadImage(conn, image, metadata, opts = {}) {
      const url = endpoint(conn, UPLOAD_PATH, metadataParams(metadata));
      // Content-Type is the file's real type (sandbox/glean-images-openapi.yaml: `image/*`), and Glean deduces the stored extension
      // from it, so a file without an image type is refused here instead of stored wrongly.
      if (!/^image\/[^\s;]+$/i.test(image.type)) {
        throw new GleanError('bad-request', `Refused to upload ${typeName(image.type)}: not an image.`, {
          contentType: image.type,
        });
      }
      const headers = authHeaders(conn, 'application/json');
      headers.set('Content-Type', image.type);
      const request: Outgoing = {
        what: `POST ${UPLOAD_PATH}`,
        url,
        // The raw bytes, never multipart or base64 (the contract's `image/*` binary body).
        init: { method: 'POST', headers, body: image },
        token: conn.token,
        timeoutMs: Math.ceil(timeouts.uploadBaseMs + (timeouts.uploadMsPerMB * image.size) / BYTES_PER_MB),
        signal: opts.signal,
      };
      return exchange(request, async (response) => {
        const text = await readText(response, UPLOAD_ANSWER_BYTES);
        const answer = parseUploadAnswer(text, url);
        if (answer === undefined) throw answerError(request, response, text, 'JSON with an image url');
        return answer;
      });
    },
  };
}

/** An UploadImageResponse: `url` required, anything else tolerated (its `metadata` is not used).
 * Undefined when the text is not one. A url that is not http(s) (javascript:, data:) is refused: it will be
 * shown and opened. */
function parseUploadAnswer(text: string, requestUrl: URL): UploadedImage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const answer = json as Record<string, unknown>;
  if (typeof answer.url !== 'string' || answer.url === '') return undefined;
  let url: URL;
  try {
    url = new URL(answer.url, requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const result: UploadedImage = { url: url.href };
  const key = url.searchParams.get('key');
  if (key !== null && key !== '') result.key = key;
  return result;
}

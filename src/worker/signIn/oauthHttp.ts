/**
 * How oauth4webapi reaches authorization servers from the worker: the worker's fetch with no cookies
 * and no HTTP cache (a token answer must never be stored), and plain http only where the build
 * allows it (the dev builds' loopback sandbox; https://github.com/panva/oauth4webapi/blob/main/docs/variables/allowInsecureRequests.md).
 */
import * as oauth from 'oauth4webapi';

export interface OAuthHttp {
  fetch: typeof fetch;
  /** True only in dev builds, for http://127.0.0.1 and http://localhost servers. */
  allowInsecure: boolean;
}

/** Long enough for a slow identity provider; a hung one must not hold a sign-in forever. */
const OAUTH_TIMEOUT_MS = 15_000;

export function requestOptions(http: OAuthHttp) {
  return {
    [oauth.customFetch]: (url: string, init: RequestInit) => http.fetch(url, { ...init, credentials: 'omit', cache: 'no-store' }),
    ...(http.allowInsecure ? { [oauth.allowInsecureRequests]: true } : {}),
    signal: AbortSignal.timeout(OAUTH_TIMEOUT_MS),
  };
}

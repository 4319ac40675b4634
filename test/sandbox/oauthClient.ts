/**
 * A test's OAuth client for the sandbox's authorization servers: oauth4webapi for discovery,
 * registration and the token endpoint, and plain HTTP for the sign-in page (GET it, press a button
 * by POSTing its form, read the Location), as a browser would.
 */
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';

/** The sandbox speaks plain http on 127.0.0.1. */
export const INSECURE = { [oauth.allowInsecureRequests]: true } as const;
/** What Chrome's identity.getRedirectURL() looks like. */
export const REDIRECT_URI = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

export async function discover(issuer: string, metadataUrl?: string): Promise<oauth.AuthorizationServer> {
  const expected = new URL(issuer);
  const response =
    metadataUrl === undefined
      ? await oauth.discoveryRequest(expected, { algorithm: 'oauth2', ...INSECURE })
      : await fetch(metadataUrl);
  return oauth.processDiscoveryResponse(expected, response);
}

export async function register(as: oauth.AuthorizationServer, redirectUri = REDIRECT_URI): Promise<oauth.Client> {
  const metadata = { redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], client_name: 'Glean Images' };
  const response = await oauth.dynamicClientRegistrationRequest(as, metadata, INSECURE);
  return oauth.processDynamicClientRegistrationResponse(response);
}

export interface AuthorizationAttempt {
  /** The authorization request's URL. */
  url: URL;
  verifier: string;
  state: string;
}

export async function authorizationUrl(
  as: oauth.AuthorizationServer,
  clientId: string,
  extra: Record<string, string> = {},
  redirectUri = REDIRECT_URI,
): Promise<AuthorizationAttempt> {
  assert.ok(as.authorization_endpoint);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'offline_access search',
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { url, verifier, state };
}

function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

export interface SignInPage {
  title: string;
  action: URL;
  fields: Record<string, string>;
  buttons: string[];
}

/** Reads the sign-in page's form the way a browser would submit it. */
export function parseSignInPage(html: string, pageUrl: URL): SignInPage {
  const title = unescapeHtml(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  assert.ok(action, `no form on the sign-in page:\n${html}`);
  const fields = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name = '', value = '']) => [
      unescapeHtml(name),
      unescapeHtml(value),
    ]),
  );
  const buttons = [...html.matchAll(/<button type="submit" name="decision" value="[^"]+">([^<]+)<\/button>/g)].map(([, label = '']) => label);
  return { title, action: new URL(unescapeHtml(action), pageUrl), fields, buttons };
}

export interface Redirected {
  location: URL;
  setCookie: string | null;
}

function redirected(response: Response): Redirected {
  assert.equal(response.status, 302, `expected a redirect, got ${response.status}`);
  const location = response.headers.get('location');
  assert.ok(location);
  return { location: new URL(location), setCookie: response.headers.get('set-cookie') };
}

/** GET the authorization URL, then press "Allow" or "Deny" on the page it shows. */
export async function decide(url: URL, button: 'Allow' | 'Deny', cookie?: string): Promise<Redirected> {
  const pageResponse = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  assert.equal(pageResponse.status, 200, 'expected the sign-in page');
  const page = parseSignInPage(await pageResponse.text(), url);
  assert.deepEqual(page.buttons, ['Allow', 'Deny']);
  const response = await fetch(page.action, {
    method: 'POST',
    body: new URLSearchParams({ ...page.fields, decision: button.toLowerCase() }),
    redirect: 'manual',
  });
  return redirected(response);
}

/** GET the authorization URL expecting an immediate redirect (silent sign-in, or an error sent back). */
export async function redirectAtOnce(url: URL, cookie?: string): Promise<Redirected> {
  return redirected(await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} }));
}

/** The cookie a browser would send back, from a Set-Cookie header. */
export function cookieFrom(setCookie: string | null): string {
  const pair = setCookie?.split(';')[0];
  assert.ok(pair, 'no session cookie was set');
  return pair;
}

export async function exchange(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  attempt: AuthorizationAttempt,
  location: URL,
  verifier = attempt.verifier,
): Promise<oauth.TokenEndpointResponse> {
  const params = oauth.validateAuthResponse(as, client, location, attempt.state);
  const redirectUri = attempt.url.searchParams.get('redirect_uri') ?? REDIRECT_URI;
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, INSECURE);
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

/** Discovery, registration (unless a client is given), sign-in with Allow, and the code exchanged. */
export async function signIn(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  extra: Record<string, string> = {},
): Promise<{ tokens: oauth.TokenEndpointResponse; cookie: string }> {
  const attempt = await authorizationUrl(as, client.client_id, extra);
  const { location, setCookie } = await decide(attempt.url, 'Allow');
  return { tokens: await exchange(as, client, attempt, location), cookie: cookieFrom(setCookie) };
}

export async function refresh(as: oauth.AuthorizationServer, client: oauth.Client, refreshToken: string): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, INSECURE);
  return oauth.processRefreshTokenResponse(as, client, response);
}

/** The OAuth error code a rejected promise carries (ResponseBodyError.error), with its HTTP status. */
export async function oauthErrorOf(promise: Promise<unknown>): Promise<{ error: string; status: number }> {
  const reason: unknown = await promise.then(
    (value) => assert.fail(`expected an OAuth error, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
  assert.ok(reason instanceof oauth.ResponseBodyError, `expected a ResponseBodyError, got ${String(reason)}`);
  return { error: reason.error, status: reason.status };
}

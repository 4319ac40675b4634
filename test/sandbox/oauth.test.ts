import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server.ts';
import {
  INSECURE,
  REDIRECT_URI,
  authorizationUrl,
  cookieFrom,
  decide,
  discover,
  exchange,
  oauthErrorOf,
  parseSignInPage,
  redirectAtOnce,
  refresh,
  register,
  signIn,
} from './oauthClient.ts';

const BOUNDED = { timeout: 15_000 };

async function open(t: TestContext, options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: 0, ...options });
  t.after(() => sandbox.close());
  return sandbox;
}

function images(sandbox: Sandbox, accessToken: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sandbox.url}/rest/api/v1/images?type=USER&id=sample`, { headers: { authorization: `Bearer ${accessToken}`, ...headers } });
}

/** A sandbox, its metadata and a registered client. */
async function registered(t: TestContext, options: SandboxOptions = {}): Promise<{ sandbox: Sandbox; as: oauth.AuthorizationServer; client: oauth.Client }> {
  const sandbox = await open(t, options);
  const as = await discover(sandbox.oauth.issuer);
  return { sandbox, as, client: await register(as) };
}

test('metadata: issuer-path and root forms both describe the issuer <url>/oauth', BOUNDED, async (t) => {
  const sandbox = await open(t);
  assert.equal(sandbox.oauth.issuer, `${sandbox.url}/oauth`);
  const byIssuerPath = await discover(sandbox.oauth.issuer);
  const byRoot = await discover(sandbox.oauth.issuer, `${sandbox.url}/.well-known/oauth-authorization-server`);
  assert.deepEqual(byRoot, byIssuerPath);
  assert.equal(byIssuerPath.issuer, `${sandbox.url}/oauth`);
  assert.equal(byIssuerPath.authorization_endpoint, `${sandbox.url}/oauth/authorize`);
  assert.equal(byIssuerPath.token_endpoint, `${sandbox.url}/oauth/token`);
  assert.equal(byIssuerPath.registration_endpoint, `${sandbox.url}/oauth/register`);
  assert.equal(byIssuerPath.revocation_endpoint, `${sandbox.url}/oauth/revoke`);
  assert.deepEqual(byIssuerPath.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(byIssuerPath.token_endpoint_auth_methods_supported, ['none']);
  assert.deepEqual(byIssuerPath.grant_types_supported, ['authorization_code', 'refresh_token']);
  assert.ok(byIssuerPath.scopes_supported?.includes('offline_access'));
  const recorded = await sandbox.waitForRequests(2, { oauth: 'metadata' });
  assert.deepEqual(recorded.map((r) => [r.path, r.status]), [
    ['/.well-known/oauth-authorization-server/oauth', 200],
    ['/.well-known/oauth-authorization-server', 200],
  ]);
});

test('metadata: with one form switched off it answers 404, and a client falls back to the other', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const rootUrl = `${sandbox.url}/.well-known/oauth-authorization-server`;
  sandbox.oauth.setDiscovery('root');
  const issuerPath = await oauth.discoveryRequest(new URL(sandbox.oauth.issuer), { algorithm: 'oauth2', ...INSECURE });
  assert.equal(issuerPath.status, 404);
  // The fallback a client makes: the root form, still naming the /oauth issuer.
  assert.equal((await discover(sandbox.oauth.issuer, rootUrl)).issuer, sandbox.oauth.issuer);

  sandbox.oauth.setDiscovery('issuer-path');
  assert.equal((await fetch(rootUrl)).status, 404);
  assert.equal((await discover(sandbox.oauth.issuer)).issuer, sandbox.oauth.issuer);
});

test('registration: any redirect URI by default, answered 201 with a client_id and the metadata', BOUNDED, async (t) => {
  const { sandbox, client } = await registered(t);
  assert.match(client.client_id, /^glean_sandbox_client_/);
  assert.deepEqual(client.redirect_uris, [REDIRECT_URI]);
  assert.equal(client.token_endpoint_auth_method, 'none');
  assert.deepEqual(sandbox.oauth.clients.map((c) => [c.clientId, c.kind]), [[client.client_id, 'registered']]);
  const [recorded] = await sandbox.waitForRequests(1, { oauth: 'register' });
  assert.equal(recorded?.status, 201);
});

test('registration: a confidential client or a missing redirect URI is refused', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const post = (metadata: unknown): Promise<Response> =>
    fetch(`${sandbox.url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
  const secret = await post({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'client_secret_basic' });
  assert.equal(secret.status, 400);
  assert.equal(((await secret.json()) as { error: string }).error, 'invalid_client_metadata');
  const noRedirect = await post({ token_endpoint_auth_method: 'none' });
  assert.equal(noRedirect.status, 400);
  assert.equal(((await noRedirect.json()) as { error: string }).error, 'invalid_redirect_uri');
  assert.equal(sandbox.oauth.clients.length, 0);
});

test('registration: approved redirect-URI patterns, where * stays within one host label or path segment', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const as = await discover(sandbox.oauth.issuer);
  sandbox.oauth.setRegistration({ redirectUriPatterns: ['https://*.chromiumapp.org/*'] });
  assert.ok((await register(as, 'https://abcdef.chromiumapp.org/')).client_id);
  assert.ok((await register(as, 'https://abcdef.chromiumapp.org/callback')).client_id);
  for (const refused of ['https://abcdef.extensions.allizom.org/', 'https://a.b.chromiumapp.org/', 'https://abcdef.chromiumapp.org/a/b']) {
    const { error, status } = await oauthErrorOf(register(as, refused));
    assert.deepEqual([error, status], ['invalid_redirect_uri', 400], refused);
  }
  assert.equal(sandbox.oauth.clients.length, 2);
});

test('registration: switched off, it answers 500 "OAuth Dynamic Client Registration disabled."', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const as = await discover(sandbox.oauth.issuer);
  sandbox.oauth.setRegistration('disabled');
  const response = await oauth.dynamicClientRegistrationRequest(as, { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }, INSECURE);
  assert.equal(response.status, 500);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  assert.equal(await response.text(), 'OAuth Dynamic Client Registration disabled.');
  assert.equal(sandbox.oauth.clients.length, 0);
});

test('sign-in: the page has Allow and Deny; Allow redirects with code, state and iss; the code buys tokens that read images', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  const attempt = await authorizationUrl(as, client.client_id);
  // GET twice (Firefox fetches the URL once before opening its window): the same page, nothing decided.
  const first = await fetch(attempt.url, { redirect: 'manual' });
  const second = await fetch(attempt.url, { redirect: 'manual' });
  assert.equal(first.status, 200);
  assert.equal(second.status, 200);
  const page = parseSignInPage(await first.text(), attempt.url);
  assert.equal(page.title, 'Sign in to Glean (sandbox)');
  assert.equal(page.fields.state, attempt.state);

  const { location, setCookie } = await decide(attempt.url, 'Allow');
  assert.equal(location.origin + location.pathname, REDIRECT_URI);
  assert.equal(location.searchParams.get('state'), attempt.state);
  assert.equal(location.searchParams.get('iss'), sandbox.oauth.issuer);
  assert.match(setCookie ?? '', /HttpOnly/);

  const tokens = await exchange(as, client, attempt, location);
  assert.equal(tokens.token_type, 'bearer');
  assert.ok(tokens.refresh_token, 'offline_access was asked for');
  assert.equal(tokens.scope, 'offline_access search');
  assert.ok((tokens.expires_in ?? 0) > 0);

  const response = await images(sandbox, tokens.access_token);
  assert.equal(response.status, 200);
  const [recorded] = await sandbox.waitForRequests(1, { operation: 'images' });
  assert.equal(recorded?.credential, 'glean-oauth');
  const [tokenRequest] = await sandbox.waitForRequests(1, { oauth: 'token', grantType: 'authorization_code' });
  assert.equal(tokenRequest?.status, 200);
});

test('sign-in: the token answer says no-store, and without offline_access there is no refresh token', BOUNDED, async (t) => {
  const { as, client } = await registered(t);
  const attempt = await authorizationUrl(as, client.client_id, { scope: 'search' });
  const { location } = await decide(attempt.url, 'Allow');
  const params = oauth.validateAuthResponse(as, client, location, attempt.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, REDIRECT_URI, attempt.verifier, INSECURE);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  assert.equal(tokens.refresh_token, undefined);
  assert.equal(tokens.scope, 'search');
});

test('sign-in: Deny sends access_denied back with the state, and sets no session', BOUNDED, async (t) => {
  const { as, client } = await registered(t);
  const attempt = await authorizationUrl(as, client.client_id);
  const { location, setCookie } = await decide(attempt.url, 'Deny');
  assert.equal(location.searchParams.get('error'), 'access_denied');
  assert.equal(location.searchParams.get('state'), attempt.state);
  assert.equal(location.searchParams.get('code'), null);
  assert.equal(setCookie, null);
  assert.throws(() => oauth.validateAuthResponse(as, client, location, attempt.state), oauth.AuthorizationResponseError);
});

test('sign-in: after Allow, the next request with the session cookie redirects at once; endSessions makes it ask again', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  const { cookie } = await signIn(as, client);
  const silent = await authorizationUrl(as, client.client_id);
  const { location } = await redirectAtOnce(silent.url, cookie);
  assert.ok((await exchange(as, client, silent, location)).access_token);

  const quiet = await authorizationUrl(as, client.client_id, { prompt: 'none' });
  assert.ok((await redirectAtOnce(quiet.url, cookie)).location.searchParams.get('code'));

  sandbox.oauth.endSessions();
  assert.equal((await fetch(silent.url, { redirect: 'manual', headers: { cookie } })).status, 200);
  const { location: refused } = await redirectAtOnce(quiet.url, cookie);
  assert.equal(refused.searchParams.get('error'), 'login_required');
  assert.equal(refused.searchParams.get('state'), quiet.state);
});

test('sign-in: with silent sign-in off, a session still gets the page', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  const { cookie } = await signIn(as, client);
  sandbox.oauth.setSilentSignIn(false);
  const attempt = await authorizationUrl(as, client.client_id);
  assert.equal((await fetch(attempt.url, { redirect: 'manual', headers: { cookie } })).status, 200);
  sandbox.oauth.setSilentSignIn(true);
  assert.equal((await fetch(attempt.url, { redirect: 'manual', headers: { cookie } })).status, 302);
});

test('authorize: an unknown client or an unregistered redirect URI gets an error page, never a redirect', BOUNDED, async (t) => {
  const { as, client } = await registered(t);
  const unknown = await authorizationUrl(as, 'no-such-client');
  const elsewhere = await authorizationUrl(as, client.client_id, {}, 'https://attacker.example/');
  for (const { url } of [unknown, elsewhere]) {
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400, url.href);
    assert.equal(response.headers.get('location'), null);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await response.text(), /role="alert"/);
  }
});

test('authorize: without PKCE S256 or with response_type other than code, the error goes back to the client', BOUNDED, async (t) => {
  const { as, client } = await registered(t);
  const cases: [Record<string, string>, string][] = [
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge: '' }, 'invalid_request'],
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ scope: 'offline_access everything' }, 'invalid_scope'],
  ];
  for (const [extra, expected] of cases) {
    const attempt = await authorizationUrl(as, client.client_id, extra);
    const { location } = await redirectAtOnce(attempt.url);
    assert.equal(location.searchParams.get('error'), expected, JSON.stringify(extra));
    assert.equal(location.searchParams.get('state'), attempt.state);
  }
});

test('token: a wrong code_verifier is invalid_grant, and so is a code used twice', BOUNDED, async (t) => {
  const { as, client } = await registered(t);
  const attempt = await authorizationUrl(as, client.client_id);
  const { location } = await decide(attempt.url, 'Allow');
  const wrong = oauth.generateRandomCodeVerifier();
  assert.equal((await oauthErrorOf(exchange(as, client, attempt, location, wrong))).error, 'invalid_grant');

  const again = await authorizationUrl(as, client.client_id);
  const { location: second } = await decide(again.url, 'Allow');
  const tokens = await exchange(as, client, again, second);
  assert.deepEqual(await oauthErrorOf(exchange(as, client, again, second)), { error: 'invalid_grant', status: 400 });
  // Using a code twice revokes what it bought (RFC 6749 section 4.1.2).
  assert.ok(tokens.refresh_token);
  assert.equal((await oauthErrorOf(refresh(as, client, tokens.refresh_token))).error, 'invalid_grant');
});

test('token: a code is bound to its client', BOUNDED, async (t) => {
  const { as, client } = await registered(t);
  const other = await register(as);
  const attempt = await authorizationUrl(as, client.client_id);
  const { location } = await decide(attempt.url, 'Allow');
  const params = oauth.validateAuthResponse(as, client, location, attempt.state);
  const response = await oauth.authorizationCodeGrantRequest(as, other, oauth.None(), params, REDIRECT_URI, attempt.verifier, INSECURE);
  assert.equal((await oauthErrorOf(oauth.processAuthorizationCodeResponse(as, other, response))).error, 'invalid_grant');
});

test('token: unknown grant types, unknown clients and missing parameters are RFC 6749 errors', BOUNDED, async (t) => {
  const { sandbox, client } = await registered(t);
  const post = async (fields: Record<string, string>): Promise<[number, string, string | null]> => {
    const response = await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', body: new URLSearchParams(fields) });
    return [response.status, ((await response.json()) as { error: string }).error, response.headers.get('cache-control')];
  };
  assert.deepEqual(await post({ grant_type: 'password', client_id: client.client_id }), [400, 'unsupported_grant_type', 'no-store']);
  assert.deepEqual(await post({ grant_type: 'refresh_token', client_id: 'nobody', refresh_token: 'x' }), [401, 'invalid_client', 'no-store']);
  assert.deepEqual(await post({ grant_type: 'authorization_code', client_id: client.client_id }), [400, 'invalid_request', 'no-store']);
  assert.deepEqual(await post({ client_id: client.client_id }), [400, 'invalid_request', 'no-store']);
});

test('refresh: each use returns a new refresh token; the old one is then invalid_grant, and so is the whole sign-in', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  const { tokens } = await signIn(as, client);
  assert.ok(tokens.refresh_token);
  const renewed = await refresh(as, client, tokens.refresh_token);
  assert.ok(renewed.refresh_token);
  assert.notEqual(renewed.refresh_token, tokens.refresh_token);
  assert.notEqual(renewed.access_token, tokens.access_token);
  assert.equal(renewed.scope, 'offline_access search');
  assert.equal((await images(sandbox, renewed.access_token)).status, 200);

  assert.equal((await oauthErrorOf(refresh(as, client, tokens.refresh_token))).error, 'invalid_grant');
  // Reuse means two parties hold the token: the rotated one dies too (OAuth 2.1 section 4.3.1).
  assert.equal((await oauthErrorOf(refresh(as, client, renewed.refresh_token))).error, 'invalid_grant');
  const refreshes = await sandbox.waitForRequests(3, { oauth: 'token', grantType: 'refresh_token' });
  assert.deepEqual(refreshes.map((r) => r.status), [200, 400, 400]);
});

test('refresh: revokeRefreshTokens makes every refresh token invalid_grant', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  const { tokens } = await signIn(as, client);
  assert.ok(tokens.refresh_token);
  sandbox.oauth.revokeRefreshTokens();
  assert.equal((await oauthErrorOf(refresh(as, client, tokens.refresh_token))).error, 'invalid_grant');
});

test('images: an expired access token gets 401 invalid_token; a refreshed one works', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  const { tokens } = await signIn(as, client);
  assert.equal((await images(sandbox, tokens.access_token)).status, 200);
  sandbox.oauth.expireAccessTokens();
  const expired = await images(sandbox, tokens.access_token);
  assert.equal(expired.status, 401);
  assert.match(expired.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
  assert.ok(tokens.refresh_token);
  const renewed = await refresh(as, client, tokens.refresh_token);
  assert.equal((await images(sandbox, renewed.access_token)).status, 200);
  const credentials = (await sandbox.waitForRequests(3, { operation: 'images' })).map((r) => [r.credential, r.status]);
  assert.deepEqual(credentials, [
    ['glean-oauth', 200],
    ['glean-oauth', 401],
    ['glean-oauth', 200],
  ]);
});

test('images: a short access token lifetime is announced in expires_in', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  sandbox.oauth.setAccessTokenLifetime(2);
  const { tokens } = await signIn(as, client);
  assert.equal(tokens.expires_in, 2);
});

test('images: unknown bearer tokens and no token get 401; the API token still works and is recorded as such', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const unknown = await images(sandbox, 'glean_sandbox_at_made-up');
  assert.equal(unknown.status, 401);
  assert.match(unknown.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  const none = await fetch(`${sandbox.url}/rest/api/v1/images?type=USER`);
  assert.equal(none.status, 401);
  assert.doesNotMatch(none.headers.get('www-authenticate') ?? '', /error=/);
  assert.equal((await images(sandbox, sandbox.token)).status, 200);
  const recorded = await sandbox.waitForRequests(3);
  assert.deepEqual(recorded.map((r) => r.credential), ['unknown', 'none', 'api-token']);
});

test('revoke: a revoked refresh token is invalid_grant and its access tokens stop working; revoke always answers 200', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  const { tokens } = await signIn(as, client);
  assert.ok(tokens.refresh_token);
  await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), tokens.refresh_token, INSECURE));
  assert.equal((await oauthErrorOf(refresh(as, client, tokens.refresh_token))).error, 'invalid_grant');
  assert.equal((await images(sandbox, tokens.access_token)).status, 401);
  const unknown = await oauth.revocationRequest(as, client, oauth.None(), 'never-issued', INSECURE);
  assert.equal(unknown.status, 200);
  const revocations = await sandbox.waitForRequests(2, { oauth: 'revoke' });
  assert.deepEqual(revocations.map((r) => r.status), [200, 200]);
});

test('revoke: an access token alone can be revoked', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  const { tokens } = await signIn(as, client);
  await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), tokens.access_token, INSECURE));
  assert.equal((await images(sandbox, tokens.access_token)).status, 401);
  assert.ok(tokens.refresh_token);
  assert.equal((await images(sandbox, (await refresh(as, client, tokens.refresh_token)).access_token)).status, 200);
});

test('forgetClients: the client is unknown (401 invalid_client), its tokens stop, and registering again works', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  const { tokens } = await signIn(as, client);
  sandbox.oauth.forgetClients();
  assert.ok(tokens.refresh_token);
  assert.deepEqual(await oauthErrorOf(refresh(as, client, tokens.refresh_token)), { error: 'invalid_client', status: 401 });
  assert.equal((await images(sandbox, tokens.access_token)).status, 401);
  const again = await register(as);
  assert.notEqual(again.client_id, client.client_id);
  assert.equal((await images(sandbox, (await signIn(as, again)).tokens.access_token)).status, 200);
});

test('a static client signs in with no registration request', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const clientId = sandbox.oauth.addStaticClient({ redirectUriPatterns: ['https://*.chromiumapp.org/*'] });
  const as = await discover(sandbox.oauth.issuer);
  const client: oauth.Client = { client_id: clientId, token_endpoint_auth_method: 'none' };
  const { tokens } = await signIn(as, client);
  assert.equal((await images(sandbox, tokens.access_token)).status, 200);
  assert.equal(sandbox.requests.filter((r) => r.oauth?.endpoint === 'register').length, 0);
  assert.deepEqual(sandbox.oauth.clients.map((c) => c.kind), ['static']);
  // An administrator's client survives forgetClients, which forgets registrations only.
  sandbox.oauth.forgetClients();
  assert.ok(tokens.refresh_token);
  assert.ok((await refresh(as, client, tokens.refresh_token)).access_token);
  assert.deepEqual(sandbox.oauth.issuedTokens, { accessTokens: 2, refreshTokens: 2 });
});

test('faults reach OAuth endpoints only when aimed at them by name', BOUNDED, async (t) => {
  const { sandbox, as, client } = await registered(t);
  sandbox.fault({ status: 503, times: 5 });
  const { tokens } = await signIn(as, client);
  assert.ok(tokens.refresh_token);
  sandbox.clearFaults();
  sandbox.fault({ status: 503, operation: 'token' });
  const faulted = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, INSECURE);
  assert.equal(faulted.status, 503);
  assert.ok((await refresh(as, client, tokens.refresh_token)).access_token, 'the faulted request did not spend the token');
  const [first] = await sandbox.waitForRequests(1, { oauth: 'token', grantType: 'refresh_token' });
  assert.equal(first?.status, 503);
});

test('cookies: the session cookie is scoped to /oauth, HttpOnly and SameSite=Lax', BOUNDED, async (t) => {
  const { as, client } = await registered(t);
  const attempt = await authorizationUrl(as, client.client_id);
  const { setCookie } = await decide(attempt.url, 'Allow');
  assert.match(setCookie ?? '', /; Path=\/oauth; HttpOnly; SameSite=Lax$/);
  assert.match(cookieFrom(setCookie), /^sandbox_session_[0-9a-f]{8}=/);
});

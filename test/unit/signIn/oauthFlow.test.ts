import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GleanError } from '../../../src/glean/gleanError.ts';
import { refresh, signIn, type Grant, type SignInPlan } from '../../../src/worker/signIn/oauthFlow.ts';
import { SignInError } from '../../../src/worker/signIn/signInError.ts';
import { jsonResponse, textResponse } from '../glean/fakes.ts';
import { FakeStorageArea } from '../worker/fakeStorage.ts';
import { FakeAuthorizationServer, ISSUER, ISSUER_PATH_METADATA, REDIRECT_URL, ROOT_METADATA, s256, SERVER, T0 } from './fakeAuthorizationServer.ts';

const PLAN: SignInPlan = { server: SERVER, method: 'glean', scopes: ['offline_access'] };
const INTERACTIVE = { interactive: true };

/** What each kind of sign-in problem says (public/_locales/en/messages.json). */
const PROBLEMS = {
  'no-authorization-server': /another site|does not offer signing in/,
  unreachable: /could not be reached/,
  'registration-refused': /did not let the extension register/,
  cancelled: /^Sign-in did not finish/,
  failed: /did not work|does not know the OAuth client/,
};
const problem = (expected: keyof typeof PROBLEMS, message?: RegExp) => (error: unknown) => {
  assert.ok(error instanceof SignInError, `a SignInError, not ${String(error)}`);
  assert.match(error.message, PROBLEMS[expected]);
  if (message) assert.match(error.message, message);
  return true;
};
const code = (expected: string) => (error: unknown) => error instanceof GleanError && error.code === expected;

describe('finding the authorization server', () => {
  test('the issuer-path form is tried first, and the root form after it', async () => {
    const glean = new FakeAuthorizationServer();
    await signIn(PLAN, glean.flowDeps(), INTERACTIVE);
    const metadataAsked = glean.http.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.url).pathname);
    assert.deepEqual(metadataAsked, [ISSUER_PATH_METADATA], 'Glean’s own form answers: the root form is not asked');

    const rootOnly = new FakeAuthorizationServer();
    rootOnly.metadataAt = new Set([ROOT_METADATA]);
    rootOnly.issuer = SERVER;
    const grant = await signIn(PLAN, rootOnly.flowDeps(), INTERACTIVE);
    assert.deepEqual(
      rootOnly.http.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.url).pathname),
      [ISSUER_PATH_METADATA, ROOT_METADATA],
    );
    assert.equal(grant.issuer, SERVER);
  });

  test('only the server’s origin is asked, whatever path its instance URL has', async () => {
    const glean = new FakeAuthorizationServer();
    await signIn({ ...PLAN, server: `${SERVER}/` }, glean.flowDeps(), INTERACTIVE);
    assert.equal(glean.http.requests[0]?.url, `${SERVER}${ISSUER_PATH_METADATA}`);
  });

  test('an issuer on another origin is refused, and nothing else is asked', async () => {
    for (const issuer of ['https://evil.example/oauth', 'https://acme-prod-be.glean.com.evil.example/oauth', 'http://acme-prod-be.glean.com/oauth']) {
      const glean = new FakeAuthorizationServer();
      glean.issuer = issuer;
      await assert.rejects(signIn(PLAN, glean.flowDeps(), INTERACTIVE), problem('no-authorization-server', /another site/), issuer);
      assert.equal(glean.http.requests.length, 1, `${issuer}: only the metadata was asked`);
      assert.equal(glean.launched.length, 0, `${issuer}: no sign-in window`);
    }
  });

  test('a server with no metadata at either form does not offer signing in', async () => {
    const glean = new FakeAuthorizationServer();
    glean.metadataAt = new Set();
    await assert.rejects(signIn(PLAN, glean.flowDeps(), INTERACTIVE), problem('no-authorization-server', /acme-prod-be\.glean\.com does not offer signing in/));
    assert.equal(glean.http.requests.length, 2);
  });

  test('a server that cannot be reached says so', async () => {
    const glean = new FakeAuthorizationServer();
    const deps = glean.flowDeps();
    deps.http.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await assert.rejects(signIn(PLAN, deps, INTERACTIVE), problem('unreachable', /could not be reached/));
  });

  test('every request leaves without cookies and is never answered from the HTTP cache', async () => {
    const glean = new FakeAuthorizationServer();
    const deps = glean.flowDeps();
    const grant = await signIn(PLAN, deps, INTERACTIVE);
    await refresh(grant, deps);
    assert.ok(glean.http.requests.length >= 4);
    for (const request of glean.http.requests) {
      assert.equal(request.credentials, 'omit', request.url);
      assert.equal(request.cache, 'no-store', request.url);
    }
  });
});

describe('registering the extension', () => {
  test('registers once per issuer and redirect URL, as a public client for that redirect URL', async () => {
    const glean = new FakeAuthorizationServer();
    const local = new FakeStorageArea();
    const first = await signIn(PLAN, glean.flowDeps(local), INTERACTIVE);
    assert.equal(first.clientId, 'client-1');
    const [registration] = glean.requestsTo('/oauth/register');
    assert.ok(registration);
    const metadata = JSON.parse(String(registration.body)) as Record<string, unknown>;
    assert.deepEqual(metadata.redirect_uris, [REDIRECT_URL]);
    assert.equal(metadata.token_endpoint_auth_method, 'none');

    // Signing in again (after a sign-out; a worker restart): the registration is remembered.
    const again = await signIn(PLAN, glean.flowDeps(local), INTERACTIVE);
    assert.equal(again.clientId, 'client-1');
    assert.equal(glean.requestsTo('/oauth/register').length, 1, 'no second registration');

    // Another redirect URL (another browser profile's extension id): registered again.
    const elsewhere = 'https://zyxwvutsrqponmlkzyxwvutsrqponmlk.chromiumapp.org/';
    const other = await signIn(PLAN, glean.flowDeps(local, elsewhere), INTERACTIVE);
    assert.equal(other.clientId, 'client-2');
    assert.equal(new URL(glean.launched.at(-1)?.searchParams.get('redirect_uri') ?? '').href, elsewhere);
    assert.equal(glean.requestsTo('/oauth/register').length, 2);
  });

  test('a client id given by policy is used as is: no registration', async () => {
    const glean = new FakeAuthorizationServer();
    const grant = await signIn({ ...PLAN, clientId: 'admin-client' }, glean.flowDeps(), INTERACTIVE);
    assert.equal(grant.clientId, 'admin-client');
    assert.equal(glean.requestsTo('/oauth/register').length, 0);
    assert.equal(glean.launched[0]?.searchParams.get('client_id'), 'admin-client');
    assert.equal(glean.tokenRequests[0]?.params.get('client_id'), 'admin-client');
  });

  test('a disabled registration (HTTP 500, text) says which redirect URL to allow, and opens no window', async () => {
    const glean = new FakeAuthorizationServer();
    glean.register = () => textResponse('Dynamic client registration is disabled', 500);
    const deps = glean.flowDeps();
    await assert.rejects(signIn(PLAN, deps, INTERACTIVE), (error) => {
      problem('registration-refused')(error);
      assert.ok(error instanceof Error && error.message.includes(REDIRECT_URL), `names ${REDIRECT_URL}: ${String(error)}`);
      assert.match(error.message, /acme-prod-be\.glean\.com did not let the extension register/);
      assert.match(error.message, /oauthClientId/);
      return true;
    });
    assert.equal(glean.launched.length, 0);
    assert.equal(deps.local.data.size, 0, 'nothing remembered');
  });

  test('an unapproved redirect URL (a 4xx with an OAuth error) is refused the same way', async () => {
    const glean = new FakeAuthorizationServer();
    glean.register = () => jsonResponse({ error: 'invalid_redirect_uri' }, 400);
    await assert.rejects(signIn(PLAN, glean.flowDeps(), INTERACTIVE), problem('registration-refused', new RegExp(REDIRECT_URL.replace(/[.]/g, '\\.'))));
  });

  test('a server that offers no registration at all is refused the same way, without asking', async () => {
    const glean = new FakeAuthorizationServer();
    const metadata = glean.metadata;
    glean.metadata = () => ({ ...metadata(), registration_endpoint: undefined });
    await assert.rejects(signIn(PLAN, glean.flowDeps(), INTERACTIVE), problem('registration-refused'));
    assert.equal(glean.http.requests.length, 1);
  });

  test('a client the server has forgotten (invalid_client) is forgotten too, and registered again once', async () => {
    const glean = new FakeAuthorizationServer();
    const local = new FakeStorageArea();
    await signIn(PLAN, glean.flowDeps(local), INTERACTIVE);
    const token = glean.token;
    glean.token = (asked) => (asked.params.get('client_id') === 'client-1' ? jsonResponse({ error: 'invalid_client' }, 401) : token(asked));
    const grant = await signIn(PLAN, glean.flowDeps(local), INTERACTIVE);
    assert.equal(grant.clientId, 'client-2');
    assert.deepEqual(glean.registered, ['client-1', 'client-2']);
    assert.deepEqual(
      glean.launched.map((url) => url.searchParams.get('client_id')),
      ['client-1', 'client-1', 'client-2'],
      'the person is asked again, for the new client',
    );
    // The next sign-in uses the new registration.
    await signIn(PLAN, glean.flowDeps(local), INTERACTIVE);
    assert.equal(glean.registered.length, 2);
  });

  test('a client refused twice in a row is not registered a third time, and the person is told', async () => {
    const glean = new FakeAuthorizationServer();
    glean.token = () => jsonResponse({ error: 'invalid_client' }, 401);
    await assert.rejects(signIn(PLAN, glean.flowDeps(), INTERACTIVE), (error) => error instanceof SignInError);
    assert.equal(glean.registered.length, 2);
  });

  test('a policy’s client refused by the server is not replaced by a registration, and the person is told', async () => {
    const glean = new FakeAuthorizationServer();
    glean.token = () => jsonResponse({ error: 'invalid_client' }, 401);
    await assert.rejects(signIn({ ...PLAN, clientId: 'admin-client' }, glean.flowDeps(), INTERACTIVE), (error) => error instanceof SignInError);
    assert.equal(glean.registered.length, 0);
  });
});

describe('the sign-in window', () => {
  test('asks for the code with PKCE (S256) and state; the token request’s verifier hashes to the challenge sent', async () => {
    const glean = new FakeAuthorizationServer();
    const grant = await signIn({ ...PLAN, scopes: ['search', 'offline_access'] }, glean.flowDeps(), INTERACTIVE);
    const [url] = glean.launched;
    assert.ok(url);
    assert.equal(url.origin + url.pathname, `${ISSUER}/authorize`);
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URL);
    assert.equal(url.searchParams.get('scope'), 'search offline_access');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok((url.searchParams.get('state') ?? '').length >= 22, 'an unguessable state');
    assert.equal(url.searchParams.get('prompt'), null, 'an interactive sign-in may show the sign-in page');

    const [tokenRequest] = glean.tokenRequests;
    assert.ok(tokenRequest);
    const verifier = tokenRequest.params.get('code_verifier') ?? '';
    assert.match(verifier, /^[A-Za-z0-9._~-]{43,128}$/);
    assert.equal(s256(verifier), url.searchParams.get('code_challenge'));
    assert.equal(tokenRequest.params.get('grant_type'), 'authorization_code');
    assert.equal(tokenRequest.params.get('code'), 'code-1');
    assert.equal(tokenRequest.params.get('redirect_uri'), REDIRECT_URL);
    assert.deepEqual(
      { accessToken: grant.accessToken, refreshToken: grant.refreshToken, issuer: grant.issuer, tokenEndpoint: grant.tokenEndpoint, method: grant.method },
      { accessToken: 'access-1', refreshToken: 'refresh-1', issuer: ISSUER, tokenEndpoint: `${ISSUER}/token`, method: 'glean' },
    );
  });

  test('each sign-in has its own verifier and state', async () => {
    const glean = new FakeAuthorizationServer();
    const deps = glean.flowDeps();
    await signIn(PLAN, deps, INTERACTIVE);
    await signIn(PLAN, deps, INTERACTIVE);
    const [a, b] = glean.launched;
    assert.notEqual(a?.searchParams.get('state'), b?.searchParams.get('state'));
    assert.notEqual(a?.searchParams.get('code_challenge'), b?.searchParams.get('code_challenge'));
  });

  test('a silent sign-in asks the server not to show a page', async () => {
    const glean = new FakeAuthorizationServer();
    const interactive: boolean[] = [];
    const deps = glean.flowDeps();
    deps.launch = async (url, flag) => {
      interactive.push(flag);
      return glean.launch(url, flag);
    };
    await signIn(PLAN, deps, { interactive: false });
    assert.deepEqual(interactive, [false]);
    assert.equal(glean.launched[0]?.searchParams.get('prompt'), 'none');
  });

  test('a window the person closed is a cancelled sign-in, and no token is asked for', async () => {
    const glean = new FakeAuthorizationServer();
    const deps = glean.flowDeps();
    deps.launch = async () => {
      throw new Error('The user did not approve access.');
    };
    await assert.rejects(signIn(PLAN, deps, INTERACTIVE), problem('cancelled', /Nothing was saved/));
    assert.equal(glean.tokenRequests.length, 0);
  });

  test('Deny (error=access_denied) is a cancelled sign-in too', async () => {
    const glean = new FakeAuthorizationServer();
    glean.authorize = (url) => `${REDIRECT_URL}?error=access_denied&state=${url.searchParams.get('state') ?? ''}`;
    await assert.rejects(signIn(PLAN, glean.flowDeps(), INTERACTIVE), problem('cancelled'));
    assert.equal(glean.tokenRequests.length, 0);
  });

  test('an answer with another state (a forged redirect) is refused, and its code never used', async () => {
    const glean = new FakeAuthorizationServer();
    glean.authorize = () => `${REDIRECT_URL}?code=stolen&state=not-the-one-sent`;
    await assert.rejects(signIn(PLAN, glean.flowDeps(), INTERACTIVE), problem('failed'));
    assert.equal(glean.tokenRequests.length, 0);
  });

  test('expiresAt counts from when the token request left, not from when it was answered', async () => {
    const glean = new FakeAuthorizationServer();
    glean.tokenDelayMs = 5_000;
    glean.time = T0 + 1_000;
    const grant = await signIn(PLAN, glean.flowDeps(), INTERACTIVE);
    assert.equal(glean.time, T0 + 6_000, 'the answer took 5 s');
    assert.equal(grant.expiresAt, T0 + 1_000 + 3600 * 1000);
  });

  test('a token without a lifetime has no expiry (only a 401 renews it)', async () => {
    const glean = new FakeAuthorizationServer();
    glean.expiresIn = undefined;
    assert.equal((await signIn(PLAN, glean.flowDeps(), INTERACTIVE)).expiresAt, null);
  });
});

describe('refreshing', () => {
  async function signedIn() {
    const glean = new FakeAuthorizationServer();
    const deps = glean.flowDeps();
    const grant = await signIn(PLAN, deps, INTERACTIVE);
    return { glean, deps, grant };
  }

  test('a rotated refresh token replaces the old one', async () => {
    const { glean, deps, grant } = await signedIn();
    const next = await refresh(grant, deps);
    const [, request] = glean.tokenRequests;
    assert.equal(request?.params.get('grant_type'), 'refresh_token');
    assert.equal(request?.params.get('refresh_token'), 'refresh-1');
    assert.equal(request?.params.get('client_id'), 'client-1');
    assert.equal(next.accessToken, 'access-2');
    assert.equal(next.refreshToken, 'refresh-2');
    assert.equal(next.clientId, grant.clientId);
    assert.equal(next.tokenEndpoint, grant.tokenEndpoint);
  });

  test('a server that does not rotate keeps the old refresh token valid, and it is kept', async () => {
    const { glean, deps, grant } = await signedIn();
    glean.rotate = false;
    const next = await refresh(grant, deps);
    assert.equal(next.accessToken, 'access-2');
    assert.equal(next.refreshToken, 'refresh-1');
  });

  test('expiresAt counts from when the refresh left', async () => {
    const { glean, deps, grant } = await signedIn();
    glean.time = T0 + 10_000;
    glean.tokenDelayMs = 7_000;
    assert.equal((await refresh(grant, deps)).expiresAt, T0 + 10_000 + 3600 * 1000);
  });

  test('invalid_grant (revoked, expired) ends the sign-in: sign-in-needed', async () => {
    const { glean, deps, grant } = await signedIn();
    glean.token = () => jsonResponse({ error: 'invalid_grant', error_description: 'refresh token expired' }, 400);
    await assert.rejects(refresh(grant, deps), (error) => code('sign-in-needed')(error) && !(error as GleanError).retryable);
  });

  test('a grant without a refresh token ends without asking the server', async () => {
    const { glean, deps, grant } = await signedIn();
    const before = glean.tokenRequests.length;
    await assert.rejects(refresh({ ...grant, refreshToken: null }, deps), code('sign-in-needed'));
    assert.equal(glean.tokenRequests.length, before);
  });

  test('a 503 from the token endpoint is a server error, tried again later; the sign-in has not ended', async () => {
    const { glean, deps, grant } = await signedIn();
    for (const answer of [() => textResponse('<html>Service Unavailable</html>', 503, 'text/html'), () => jsonResponse({ error: 'temporarily_unavailable' }, 503)]) {
      glean.token = answer;
      await assert.rejects(refresh(grant, deps), (error) => {
        assert.ok(error instanceof GleanError, String(error));
        assert.equal(error.code, 'server-error');
        assert.equal(error.status, 503);
        assert.equal(error.retryable, true);
        return true;
      });
    }
  });

  test('a token endpoint that cannot be reached is unreachable (tried again later)', async () => {
    const { deps, grant } = await signedIn();
    deps.http.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await assert.rejects(refresh(grant, deps), (error) => code('unreachable')(error) && (error as GleanError).retryable);
  });

  test('no error says the refresh token', async () => {
    const { glean, deps, grant } = await signedIn();
    const secret: Grant = { ...grant, refreshToken: 'refresh-secret-abcdef' };
    for (const answer of [() => jsonResponse({ error: 'invalid_grant' }, 400), () => textResponse('down', 503)]) {
      glean.token = answer;
      await assert.rejects(refresh(secret, deps), (error) => error instanceof Error && !error.message.includes('refresh-secret-abcdef'));
    }
  });
});

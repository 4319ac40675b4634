import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Policy } from '../../../src/worker/policy.ts';
import { createSignInService, planFor } from '../../../src/worker/signIn/signInService.ts';
import { SignInError } from '../../../src/worker/signIn/signInError.ts';
import { createSignInStore } from '../../../src/worker/signIn/signInStore.ts';
import { createTokenSeal } from '../../../src/worker/tokenSeal.ts';
import { keyInMemory } from '../worker/fakeKeys.ts';
import { FakeStorageArea } from '../worker/fakeStorage.ts';
import { FakeAuthorizationServer, SERVER } from './fakeAuthorizationServer.ts';

describe('planFor', () => {
  test('Glean’s own sign-in by default, always with offline_access', () => {
    assert.deepEqual(planFor(SERVER, {}), { server: SERVER, method: 'glean', scopes: ['offline_access'] });
    assert.deepEqual(planFor(SERVER, { oauthClientId: 'admin', oauthScopes: ['search', 'offline_access'] }), {
      server: SERVER,
      method: 'glean',
      clientId: 'admin',
      scopes: ['search', 'offline_access'],
    });
  });

  test('the identity provider when the policy says so, or gives its issuer and client; with openid', () => {
    const idp: Policy = { idpIssuer: 'https://acme.okta.com/oauth2/default', idpClientId: 'okta' };
    const expected = { server: SERVER, method: 'idp', idpIssuer: idp.idpIssuer, clientId: 'okta', scopes: ['openid', 'offline_access'] };
    assert.deepEqual(planFor(SERVER, idp), expected);
    assert.deepEqual(planFor(SERVER, { ...idp, signInMethod: 'idp' }), expected);
    assert.equal(planFor(SERVER, { ...idp, signInMethod: 'glean' }).method, 'glean');
  });

  test('a policy allowing only API tokens refuses to sign in, saying what to do', () => {
    assert.throws(() => planFor(SERVER, { signInMethod: 'token' }), (error) => error instanceof SignInError && /only API tokens/.test(error.message));
  });
});

describe('signing in and out', () => {
  function setup(policy: Policy = {}) {
    const glean = new FakeAuthorizationServer();
    const local = new FakeStorageArea();
    const store = createSignInStore(local, createTokenSeal(keyInMemory()));
    const saved: string[] = [];
    let changes = 0;
    const service = createSignInService({
      settings: {
        saveServer: async (instance) => {
          saved.push(instance);
          return SERVER;
        },
        signInPlan: async () => ({ server: SERVER, policy }),
      },
      store,
      flow: glean.flowDeps(local),
      changed: () => {
        changes += 1;
      },
    });
    return { glean, local, store, service, saved, changes: () => changes };
  }

  test('start() saves the server as typed, signs in, stores the sign-in and says credentials changed', async () => {
    const h = setup();
    await h.service.start('acme-prod');
    assert.deepEqual(h.saved, ['acme-prod']);
    const signedIn = await h.store.read(SERVER);
    assert.equal(signedIn?.grant.accessToken, 'access-1');
    assert.equal(signedIn?.ended, false);
    assert.equal(h.changes(), 1);
  });

  test('signing in again is the same person (their waiting uploads go on); after a sign-out it is someone new', async () => {
    const h = setup();
    await h.service.start('acme-prod');
    const first = (await h.store.status())?.identity;
    await h.store.markEnded(SERVER);
    await h.service.start('acme-prod');
    assert.equal((await h.store.status())?.identity, first);
    assert.equal((await h.store.status())?.ended, false);

    await h.service.signOut();
    assert.equal(await h.store.status(), undefined);
    await h.service.start('acme-prod');
    assert.notEqual((await h.store.status())?.identity, first);
  });

  test('sign-out forgets the sign-in and asks the server to revoke its refresh token', async () => {
    const h = setup();
    await h.service.start('acme-prod');
    await h.service.signOut();
    assert.equal(await h.store.status(), undefined);
    const [revocation] = h.glean.requestsTo('/oauth/revoke');
    assert.ok(revocation, 'revoked');
    assert.equal(new URLSearchParams(String(revocation.body)).get('token'), 'refresh-1');
  });

  test('a sign-out whose revocation fails still signs out', async () => {
    const h = setup();
    await h.service.start('acme-prod');
    h.glean.http.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await h.service.signOut();
    assert.equal(await h.store.status(), undefined);
  });

  test('a silent sign-in opens no visible page and answers whether it worked', async () => {
    const h = setup();
    assert.equal(await h.service.silently(), true);
    assert.equal(h.glean.launched[0]?.searchParams.get('prompt'), 'none');
    h.glean.authorize = (url) => `${url.searchParams.get('redirect_uri') ?? ''}?error=login_required&state=${url.searchParams.get('state') ?? ''}`;
    await h.store.markEnded(SERVER);
    assert.equal(await h.service.silently(), false);
    assert.equal((await h.store.status())?.ended, true, 'nothing stored');
  });

  test('a cancelled sign-in stores nothing', async () => {
    const h = setup();
    h.glean.authorize = (url) => `${url.searchParams.get('redirect_uri') ?? ''}?error=access_denied&state=${url.searchParams.get('state') ?? ''}`;
    await assert.rejects(h.service.start('acme-prod'), (error) => error instanceof SignInError && /^Sign-in did not finish/.test(error.message));
    assert.equal(await h.store.status(), undefined);
    assert.equal(h.changes(), 0);
  });
});

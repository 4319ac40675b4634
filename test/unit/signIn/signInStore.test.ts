import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grant } from '../../../src/worker/signIn/oauthFlow.ts';
import { createSignInStore, SIGN_IN_KEY, type SignIn } from '../../../src/worker/signIn/signInStore.ts';
import { createTokenSeal, type TokenSeal } from '../../../src/worker/tokenSeal.ts';
import { keyInMemory } from '../worker/fakeKeys.ts';
import { FakeStorageArea } from '../worker/fakeStorage.ts';

const A = 'https://acme-prod-be.glean.com';
const B = 'https://other-be.glean.com';

const GRANT: Grant = {
  method: 'glean',
  issuer: `${A}/oauth`,
  tokenEndpoint: `${A}/oauth/token`,
  revocationEndpoint: `${A}/oauth/revoke`,
  clientId: 'client-1',
  accessToken: 'access-token-secret-1',
  refreshToken: 'refresh-token-secret-1',
  expiresAt: 1_770_000_000_000,
};
const SIGN_IN: SignIn = { server: A, method: 'glean', identity: 'identity-1', ended: false, grant: GRANT };

/** A seal that counts its unsealings. */
function counting(seal: TokenSeal): TokenSeal & { unsealed: () => number } {
  let unsealed = 0;
  return {
    seal: (secret, server) => seal.seal(secret, server),
    unseal: (stored, server) => {
      unsealed += 1;
      return seal.unseal(stored, server);
    },
    unsealed: () => unsealed,
  };
}

test('a sign-in reads back as written, for its server only', async () => {
  const store = createSignInStore(new FakeStorageArea(), createTokenSeal(keyInMemory()));
  await store.write(SIGN_IN);
  assert.deepEqual(await store.read(A), SIGN_IN);
  assert.equal(await store.read(B), undefined);
});

test('a sign-in sealed for server A does not unseal for server B, even with its labels rewritten', async () => {
  const local = new FakeStorageArea();
  const store = createSignInStore(local, createTokenSeal(keyInMemory()));
  await store.write(SIGN_IN);
  // Storage edited to say B throughout: the record and the sealed grant's own label.
  const stored = local.data.get(SIGN_IN_KEY) as { server: string; grant: { server?: string } };
  await local.set({ [SIGN_IN_KEY]: { ...stored, server: B, grant: { ...stored.grant, server: B } } });
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    assert.equal(await store.read(B), undefined, 'A’s grant is sealed with A as additional data');
  } finally {
    console.warn = warn;
  }
  // Only the record's label rewritten: the sealed grant still names A, and is not even tried.
  await local.set({ [SIGN_IN_KEY]: { ...stored, server: B } });
  assert.equal(await store.read(B), undefined);
});

test('status() unseals nothing and holds no secret', async () => {
  const local = new FakeStorageArea();
  const seal = counting(createTokenSeal(keyInMemory()));
  const store = createSignInStore(local, seal);
  assert.equal(await store.status(), undefined);
  await store.write(SIGN_IN);
  const status = await store.status();
  assert.deepEqual(status, { server: A, method: 'glean', identity: 'identity-1', ended: false });
  assert.equal(seal.unsealed(), 0);
  const text = JSON.stringify(status);
  for (const secret of [GRANT.accessToken, GRANT.refreshToken ?? '']) assert.ok(!text.includes(secret));
});

test('the grant is stored sealed: storage holds neither token', async () => {
  const local = new FakeStorageArea();
  await createSignInStore(local, createTokenSeal(keyInMemory())).write(SIGN_IN);
  const text = JSON.stringify([...local.data]);
  assert.ok(!text.includes('access-token-secret-1'));
  assert.ok(!text.includes('refresh-token-secret-1'));
});

test('markEnded keeps who it was; clear forgets it; another server’s sign-in is not marked', async () => {
  const store = createSignInStore(new FakeStorageArea(), createTokenSeal(keyInMemory()));
  await store.write(SIGN_IN);
  await store.markEnded(B);
  assert.equal((await store.status())?.ended, false);
  await store.markEnded(A);
  assert.deepEqual(await store.status(), { server: A, method: 'glean', identity: 'identity-1', ended: true });
  assert.equal((await store.read(A))?.ended, true);
  await store.clear();
  assert.equal(await store.status(), undefined);
  assert.equal(await store.read(A), undefined);
});

test('a grant that no longer unseals (the key is gone) reads as no sign-in', async () => {
  const keys = keyInMemory();
  const local = new FakeStorageArea();
  await createSignInStore(local, createTokenSeal(keys)).write(SIGN_IN);
  keys.forget();
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    assert.equal(await createSignInStore(local, createTokenSeal(keys)).read(A), undefined);
  } finally {
    console.warn = warn;
  }
});

test('anything else in storage is no sign-in', async () => {
  const local = new FakeStorageArea();
  const store = createSignInStore(local, createTokenSeal(keyInMemory()));
  for (const value of [null, 'text', { server: A }, { ...SIGN_IN, grant: GRANT }, { server: A, method: 'sso', identity: 'x', ended: false, grant: { iv: '', sealed: '' } }]) {
    await local.set({ [SIGN_IN_KEY]: value });
    assert.equal(await store.status(), undefined, JSON.stringify(value));
    assert.equal(await store.read(A), undefined, JSON.stringify(value));
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTokenSeal, isSealedToken } from '../../../src/worker/tokenSeal.ts';
import { keyInMemory } from './fakeKeys.ts';

const TOKEN = 'glean-secret-token-9876';

test('a sealed token holds no trace of the token, and unseals to it', async () => {
  const seal = createTokenSeal(keyInMemory());
  const sealed = await seal.seal(TOKEN);
  assert.ok(isSealedToken(sealed));
  assert.ok(!JSON.stringify(sealed).includes(TOKEN));
  assert.ok(!JSON.stringify(sealed).includes(Buffer.from(TOKEN).toString('base64').slice(0, 12)));
  assert.equal(await seal.unseal(structuredClone(sealed)), TOKEN);
});

test('each seal uses a fresh nonce: the same token never seals the same way twice', async () => {
  const seal = createTokenSeal(keyInMemory());
  const [a, b] = await Promise.all([seal.seal(TOKEN), seal.seal(TOKEN)]);
  assert.notEqual(a.iv, b.iv);
  assert.notEqual(a.sealed, b.sealed);
});

test('two first uses at once agree on one key', async () => {
  const keys = keyInMemory();
  const seal = createTokenSeal(keys);
  const [a, b] = await Promise.all([seal.seal('one'), seal.seal('two')]);
  // A new worker reads the one key that was kept.
  const restarted = createTokenSeal(keys);
  assert.equal(await restarted.unseal(a), 'one');
  assert.equal(await restarted.unseal(b), 'two');
});

test('text from a version before sealing is taken as the token; anything else is no token', async () => {
  const seal = createTokenSeal(keyInMemory());
  assert.equal(await seal.unseal(TOKEN), TOKEN);
  for (const stored of [undefined, null, 42, {}, { iv: 1, sealed: 2 }]) assert.equal(await seal.unseal(stored), '');
});

test('a sealed token whose key is gone, or that was tampered with, reads as no token', async () => {
  const keys = keyInMemory();
  const sealed = await createTokenSeal(keys).seal(TOKEN);
  const tampered = { ...sealed, sealed: Buffer.from(Buffer.from(sealed.sealed, 'base64').map((byte, i) => (i === 0 ? byte ^ 1 : byte))).toString('base64') };
  assert.equal(await createTokenSeal(keys).unseal(tampered), '');
  keys.forget();
  assert.equal(await createTokenSeal(keys).unseal(sealed), '');
});

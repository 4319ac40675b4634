import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTokenSeal, isSealedToken } from '../../../src/worker/tokenSeal.ts';
import { keyInMemory } from './fakeKeys.ts';

const TOKEN = 'glean-secret-token-9876';
const SERVER = 'https://acme-prod-be.glean.com';
const OTHER = 'https://evil-be.glean.com';

test('a sealed token holds no trace of the token, and unseals to it', async () => {
  const seal = createTokenSeal(keyInMemory());
  const sealed = await seal.seal(TOKEN, SERVER);
  assert.ok(isSealedToken(sealed));
  assert.ok(!JSON.stringify(sealed).includes(TOKEN));
  assert.ok(!JSON.stringify(sealed).includes(Buffer.from(TOKEN).toString('base64').slice(0, 12)));
  assert.equal(await seal.unseal(structuredClone(sealed), SERVER), TOKEN);
});

test('each seal uses a fresh nonce: the same token never seals the same way twice', async () => {
  const seal = createTokenSeal(keyInMemory());
  const [a, b] = await Promise.all([seal.seal(TOKEN, SERVER), seal.seal(TOKEN, SERVER)]);
  assert.notEqual(a.iv, b.iv);
  assert.notEqual(a.sealed, b.sealed);
});

test('two first uses at once agree on one key', async () => {
  const keys = keyInMemory();
  const seal = createTokenSeal(keys);
  const [a, b] = await Promise.all([seal.seal('one', SERVER), seal.seal('two', SERVER)]);
  // A new worker reads the one key that was kept.
  const restarted = createTokenSeal(keys);
  assert.equal(await restarted.unseal(a, SERVER), 'one');
  assert.equal(await restarted.unseal(b, SERVER), 'two');
});

test('text from a version before sealing is taken as the token; anything else is no token', async () => {
  const seal = createTokenSeal(keyInMemory());
  assert.equal(await seal.unseal(TOKEN, SERVER), TOKEN);
  for (const stored of [undefined, null, 42, {}, { iv: 1, sealed: 2 }, { iv: 'a', sealed: 'b', server: 7 }]) assert.equal(await seal.unseal(stored, SERVER), '');
});

test('a sealed token whose key is gone, or that was tampered with, reads as no token', async () => {
  const keys = keyInMemory();
  const sealed = await createTokenSeal(keys).seal(TOKEN, SERVER);
  const tampered = { ...sealed, sealed: Buffer.from(Buffer.from(sealed.sealed, 'base64').map((byte, i) => (i === 0 ? byte ^ 1 : byte))).toString('base64') };
  assert.equal(await createTokenSeal(keys).unseal(tampered, SERVER), '');
  keys.forget();
  assert.equal(await createTokenSeal(keys).unseal(sealed, SERVER), '');
});

test('a token sealed for one server does not unseal for another, even with its server label rewritten', async () => {
  const seal = createTokenSeal(keyInMemory());
  const sealed = await seal.seal(TOKEN, SERVER);
  assert.equal(sealed.server, SERVER);
  assert.equal(await seal.unseal(sealed, OTHER), '');
  // The label is not what binds it: the server is sealed in as AES-GCM additional data.
  const warned: unknown[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warned.push(args);
  try {
    assert.equal(await seal.unseal({ ...sealed, server: OTHER }, OTHER), '');
  } finally {
    console.warn = warn;
  }
  assert.equal(warned.length, 1, 'the failed unsealing is reported, without the token');
  assert.ok(!JSON.stringify(warned).includes(TOKEN));
});

test('a token sealed before the binding (no server) still unseals, for the saved server', async () => {
  const keys = keyInMemory();
  const seal = createTokenSeal(keys);
  await seal.seal('makes the key', SERVER);
  // What the version before the binding stored: AES-GCM with no additional data, no server field.
  const key = await keys.read();
  assert.ok(key);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const legacy = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(TOKEN));
  const stored = { iv: Buffer.from(iv).toString('base64'), sealed: Buffer.from(new Uint8Array(legacy)).toString('base64') };
  assert.equal(await seal.unseal(stored, SERVER), TOKEN);
});

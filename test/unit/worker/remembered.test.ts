import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rememberedArea, rememberedSeal } from '../../../src/worker/remembered.ts';
import type { TokenSeal } from '../../../src/worker/tokenSeal.ts';
import { FakeStorageArea } from './fakeStorage.ts';

/** A storage area counting its reads, and a way to announce a change as `storage.onChanged` would. */
function counted() {
  const area = new FakeStorageArea();
  let reads = 0;
  const get = area.get.bind(area);
  area.get = (key) => ((reads += 1), get(key));
  let announce: (keys: readonly string[]) => void = () => undefined;
  const remembered = rememberedArea(area, (listener) => (announce = listener));
  return { area, remembered, reads: () => reads, announce: (keys: readonly string[]) => announce(keys) };
}

test('a stored value is read once while nothing changes, and again after a change elsewhere', async () => {
  const { area, remembered, reads, announce } = counted();
  await area.set({ settings: { instance: 'a' } });
  assert.deepEqual(await remembered.get('settings'), { settings: { instance: 'a' } });
  assert.deepEqual(await remembered.get('settings'), { settings: { instance: 'a' } });
  assert.equal(reads(), 1);
  await area.set({ settings: { instance: 'b' } }); // Another page wrote it.
  announce(['settings']);
  assert.deepEqual(await remembered.get('settings'), { settings: { instance: 'b' } });
  assert.equal(reads(), 2);
});

test('the worker’s own writes and removals are seen at once, before any change event', async () => {
  const { remembered } = counted();
  await remembered.set({ token: 'one' });
  assert.deepEqual(await remembered.get('token'), { token: 'one' });
  await remembered.set({ token: 'two' });
  assert.deepEqual(await remembered.get('token'), { token: 'two' });
  await remembered.remove('token');
  assert.deepEqual(await remembered.get('token'), {});
});

test('a caller that changes its answer does not change what the next caller gets', async () => {
  const { remembered } = counted();
  await remembered.set({ a: 1 });
  const first = await remembered.get('a');
  first.a = 2;
  assert.deepEqual(await remembered.get('a'), { a: 1 });
});

test('a stored token is unsealed once per server until storage holds a new one', async () => {
  let unseals = 0;
  const seal = rememberedSeal({
    seal: async () => ({ iv: '', sealed: '', server: '' }),
    unseal: async (stored, server) => ((unseals += 1), `${(stored as { sealed: string }).sealed}@${server}`),
  } as TokenSeal);
  const stored = { sealed: 'x' };
  assert.equal(await seal.unseal(stored, 's1'), 'x@s1');
  assert.equal(await seal.unseal(stored, 's1'), 'x@s1');
  assert.equal(await seal.unseal(stored, 's2'), 'x@s2');
  assert.equal(await seal.unseal({ sealed: 'y' }, 's1'), 'y@s1');
  assert.equal(unseals, 3);
});

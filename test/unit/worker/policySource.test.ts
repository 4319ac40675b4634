import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POLICY_KEPT_KEY } from '../../../src/shared/messages.ts';
import { GleanError } from '../../../src/glean/gleanError.ts';
import { createPolicySource } from '../../../src/worker/policySource.ts';
import { createSettings } from '../../../src/worker/settings.ts';
import { createTokenSeal } from '../../../src/worker/tokenSeal.ts';
import { keyInMemory } from './fakeKeys.ts';
import { FakeStorageArea } from './fakeStorage.ts';

const ACME = 'https://acme-prod-be.glean.com';

/** `storage.managed.get` that answers only when told, as Chromium's first call after a browser start (~3 s). */
function slowManaged() {
  const calls: { resolve: (raw: Record<string, unknown>) => void; reject: (error: Error) => void }[] = [];
  const readManaged = () => new Promise<Record<string, unknown>>((resolve, reject) => void calls.push({ resolve, reject }));
  return { readManaged, calls };
}

/** Settles within a turn of the event loop, or is still waiting. */
async function settledNow<T>(promise: Promise<T>): Promise<{ value: T } | 'waiting'> {
  return Promise.race([promise.then((value) => ({ value })), new Promise<'waiting'>((resolve) => setImmediate(resolve, 'waiting'))]);
}

function setup() {
  const session = new FakeStorageArea();
  const local = new FakeStorageArea();
  const managed = slowManaged();
  const source = createPolicySource({ readManaged: managed.readManaged, session, local });
  return { session, local, managed, source };
}

describe('the enterprise policy, without waiting on storage.managed', () => {
  test('before this browser start’s reading arrives, the last kept reading is used at once', async () => {
    const { local, managed, source } = setup();
    local.data.set(POLICY_KEPT_KEY, { server: 'acme-prod' });
    void source.refresh();
    for (const whenUnread of ['wait', 'skip'] as const) {
      const now = await settledNow(source.read(whenUnread));
      assert.notEqual(now, 'waiting', `${whenUnread} waited for storage.managed`);
      assert.deepEqual(now !== 'waiting' && now.value, { ok: true, policy: { server: { instance: 'acme-prod', baseUrl: ACME } } });
    }
    assert.equal(managed.calls.length, 1);
  });

  test('a kept reading that is invalid fails closed until a valid one arrives', async () => {
    const { local, managed, source } = setup();
    local.data.set(POLICY_KEPT_KEY, { server: 'not a server!' });
    void source.refresh();
    assert.deepEqual(await source.read('wait'), { ok: false, problems: ['server'] });
    const reading = source.refresh();
    managed.calls[1]?.resolve({ server: 'acme-prod' });
    await reading;
    assert.equal((await source.read('wait'))?.ok, true);
  });

  test('with no reading ever kept, sending waits for the reading and showing does not', async () => {
    const { managed, source } = setup();
    void source.refresh();
    assert.deepEqual(await settledNow(source.read('skip')), { value: undefined });
    const waiting = source.read('wait');
    assert.equal(await settledNow(waiting), 'waiting');
    managed.calls[0]?.resolve({ server: 'not a server!' });
    assert.deepEqual(await waiting, { ok: false, problems: ['server'] }, 'an invalid policy still fails closed');
  });

  test('each reading is kept for later worker starts (session) and the next browser start (local)', async () => {
    const { session, local, managed, source } = setup();
    const reading = source.refresh();
    managed.calls[0]?.resolve({ server: 'acme-prod', cacheMegabytes: 50 });
    await reading;
    assert.deepEqual(session.data.get(POLICY_KEPT_KEY), { server: 'acme-prod', cacheMegabytes: 50 });
    assert.deepEqual(local.data.get(POLICY_KEPT_KEY), { server: 'acme-prod', cacheMegabytes: 50 });

    // A worker restarted in the same browser session finds this session's reading before the last browser start's.
    local.data.set(POLICY_KEPT_KEY, { server: 'older' });
    const restarted = createPolicySource({ readManaged: slowManaged().readManaged, session, local });
    void restarted.refresh();
    const again = await restarted.read('wait');
    assert.deepEqual(again?.ok && again.policy.server?.baseUrl, ACME);
  });

  test('a reading that started later wins over an older, slower one', async () => {
    const { local, managed, source } = setup();
    const older = source.refresh();
    const newer = source.refresh();
    managed.calls[1]?.resolve({ server: 'acme-prod' });
    await newer;
    managed.calls[0]?.resolve({ server: 'stale-one' });
    const fromOlder = await older;
    assert.ok(fromOlder.ok && fromOlder.policy.server?.baseUrl === ACME, 'the older call answers with the newer reading');
    assert.deepEqual(local.data.get(POLICY_KEPT_KEY), { server: 'acme-prod' });
    const now = await source.read('wait');
    assert.ok(now?.ok && now.policy.server?.baseUrl === ACME);
  });

  test('a browser without managed storage (it rejects) has no policy, and that is kept too', async () => {
    const { local, managed, source } = setup();
    const reading = source.refresh();
    managed.calls[0]?.reject(new Error('Managed storage is not available'));
    assert.deepEqual(await reading, { ok: true, policy: {} });
    assert.deepEqual(local.data.get(POLICY_KEPT_KEY), {});
  });

  test('a kept value that is not an object counts as no reading', async () => {
    const { local, source } = setup();
    local.data.set(POLICY_KEPT_KEY, 'server=evil');
    void source.refresh();
    assert.deepEqual(await settledNow(source.read('skip')), { value: undefined });
  });
});

test('settings show and save at once before any reading, but nothing is sent until the policy is read, and an invalid one sends nothing', { timeout: 5000 }, async () => {
  const { local, managed, source } = setup();
  void source.refresh();
  const settings = createSettings({
    local,
    readPolicy: source.read,
    seal: createTokenSeal(keyInMemory()),
    signIn: { status: async () => undefined, access: async () => undefined, clear: async () => undefined },
    redirectUrl: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/',
  });
  // Neither waits on storage.managed (which never answers until below): a wait would time the test out.
  const saved = await settings.save({ instance: 'acme-prod', token: 'token-1234', actAs: '', authType: '', defaults: {} });
  assert.equal(saved.tokenHint, '1234');
  assert.equal((await settings.view()).managed.invalid, false);

  let settled = false;
  const connecting = settings.connection().finally(() => (settled = true));
  connecting.catch(() => undefined);
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false, 'a request waits for the first reading');
  managed.calls[0]?.resolve({ server: 'not a server!' });
  await assert.rejects(connecting, (error) => error instanceof GleanError && error.code === 'policy-invalid');
  assert.equal((await settings.view()).managed.invalid, true, 'and the page is told');
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GleanError } from '../../../src/glean/gleanError.ts';
import { signInNeeded, type Grant } from '../../../src/worker/signIn/oauthFlow.ts';
import { createSignInSession, REFRESH_MARGIN_MS } from '../../../src/worker/signIn/session.ts';
import { createSignInStore, type SignIn } from '../../../src/worker/signIn/signInStore.ts';
import { createTokenSeal } from '../../../src/worker/tokenSeal.ts';
import { deferred } from '../glean/fakes.ts';
import { keyInMemory } from '../worker/fakeKeys.ts';
import { FakeStorageArea } from '../worker/fakeStorage.ts';

const SERVER = 'https://acme-prod-be.glean.com';
const T0 = Date.parse('2026-02-01T09:00:00Z');
const EXPIRES_AT = T0 + 3_600_000;

const grant = (overrides: Partial<Grant> = {}): Grant => ({
  method: 'glean',
  issuer: `${SERVER}/oauth`,
  tokenEndpoint: `${SERVER}/oauth/token`,
  clientId: 'client-1',
  accessToken: 'access-0-secret',
  refreshToken: 'refresh-0-secret',
  expiresAt: EXPIRES_AT,
  ...overrides,
});

const signInFor = (overrides: Partial<Grant> = {}, identity = 'identity-1'): SignIn => ({ server: SERVER, method: 'glean', identity, ended: false, grant: grant(overrides) });

/** One holder at a time, in the order asked, as navigator.locks.request does. */
function mutex() {
  let tail: Promise<unknown> = Promise.resolve();
  let held = 0;
  let mostHeld = 0;
  let asked = 0;
  let waiter: { count: number; resolve: () => void } | undefined;
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    asked += 1;
    if (waiter && asked >= waiter.count) waiter.resolve();
    const run = tail.then(async () => {
      held += 1;
      mostHeld = Math.max(mostHeld, held);
      try {
        return await work();
      } finally {
        held -= 1;
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
  /** Resolves once `count` callers have asked for the lock. */
  const askedBy = (count: number): Promise<void> =>
    asked >= count ? Promise.resolve() : new Promise((resolve) => (waiter = { count, resolve }));
  return { exclusive, mostHeld: () => mostHeld, askedBy };
}

type Refresh = (grant: Grant) => Promise<Grant>;

function setup({ refresh, ended }: { refresh?: Refresh; ended?: (server: string) => Promise<boolean> } = {}) {
  const local = new FakeStorageArea();
  const store = createSignInStore(local, createTokenSeal(keyInMemory()));
  const clock = { time: T0 };
  const refreshed: Grant[] = [];
  let issued = 0;
  /** By default: a new access token and a rotated refresh token, for another hour from now. */
  const rotating: Refresh = async (old) => {
    issued += 1;
    return { ...old, accessToken: `access-${issued}-secret`, refreshToken: `refresh-${issued}-secret`, expiresAt: clock.time + 3_600_000 };
  };
  const endedCalls: string[] = [];
  const lock = mutex();
  const session = createSignInSession({
    store,
    refresh: async (old) => {
      refreshed.push(old);
      return (refresh ?? rotating)(old);
    },
    exclusive: lock.exclusive,
    now: () => clock.time,
    ended: async (server) => {
      endedCalls.push(server);
      return ended ? ended(server) : false;
    },
  });
  return { local, store, clock, session, refreshed, endedCalls, lock };
}

describe('a sign-in’s access token', () => {
  test('is used as stored until a minute before it expires, and refreshed from then on', async () => {
    const h = setup();
    await h.store.write(signInFor());
    h.clock.time = EXPIRES_AT - REFRESH_MARGIN_MS - 1;
    assert.equal((await h.session.access(SERVER))?.grant.accessToken, 'access-0-secret');
    assert.equal(h.refreshed.length, 0);

    h.clock.time = EXPIRES_AT - REFRESH_MARGIN_MS;
    assert.equal((await h.session.access(SERVER))?.grant.accessToken, 'access-1-secret');
    assert.equal(h.refreshed.length, 1);
    assert.equal(h.refreshed[0]?.refreshToken, 'refresh-0-secret', 'with the stored refresh token');

    // The new one lasts another hour: no more refreshing.
    assert.equal((await h.session.access(SERVER))?.grant.accessToken, 'access-1-secret');
    assert.equal(h.refreshed.length, 1);
  });

  test('with no lifetime is never refreshed by the clock', async () => {
    const h = setup();
    await h.store.write(signInFor({ expiresAt: null }));
    h.clock.time = T0 + 365 * 86_400_000;
    assert.equal((await h.session.access(SERVER))?.grant.accessToken, 'access-0-secret');
    assert.equal(h.refreshed.length, 0);
  });

  test('50 lookups that find it expired make one refresh, and all get the new token', async () => {
    const answer = deferred<Grant>();
    const h = setup({ refresh: () => answer.promise });
    await h.store.write(signInFor());
    h.clock.time = EXPIRES_AT;
    const all = Array.from({ length: 50 }, () => h.session.access(SERVER));
    // Every caller found it expired and waits for the lock before the refresh answers.
    await h.lock.askedBy(50);
    answer.resolve(grant({ accessToken: 'access-new-secret', refreshToken: 'refresh-new-secret', expiresAt: EXPIRES_AT + 3_600_000 }));
    const results = await Promise.all(all);
    assert.equal(h.refreshed.length, 1);
    assert.deepEqual(new Set(results.map((signIn) => signIn?.grant.accessToken)), new Set(['access-new-secret']));
    assert.equal(h.lock.mostHeld(), 1, 'one holder of the lock at a time');
  });

  test('stores the rotated refresh token before handing out the new access token', async () => {
    const h = setup();
    await h.store.write(signInFor());
    h.clock.time = EXPIRES_AT;
    await h.session.access(SERVER);
    const stored = await h.store.read(SERVER);
    assert.equal(stored?.grant.refreshToken, 'refresh-1-secret');
    assert.equal(stored?.grant.accessToken, 'access-1-secret');
    assert.equal(stored?.identity, 'identity-1', 'refreshing keeps whose it is');
  });

  test('is renewed once after Glean refused it; a renewal with the token already replaced refreshes nothing', async () => {
    const h = setup();
    await h.store.write(signInFor());
    const renewed = await h.session.renew(SERVER, 'access-0-secret');
    assert.equal(renewed.grant.accessToken, 'access-1-secret');
    assert.equal(h.refreshed.length, 1, 'refreshed although it had not expired by its own account');

    // Another caller whose request with the old token was refused meanwhile.
    const late = await h.session.renew(SERVER, 'access-0-secret');
    assert.equal(late.grant.accessToken, 'access-1-secret');
    assert.equal(h.refreshed.length, 1);
  });

  test('two renewals of the same refused token at once refresh once', async () => {
    const h = setup();
    await h.store.write(signInFor());
    const [a, b] = await Promise.all([h.session.renew(SERVER, 'access-0-secret'), h.session.renew(SERVER, 'access-0-secret')]);
    assert.equal(h.refreshed.length, 1);
    assert.equal(a.grant.accessToken, 'access-1-secret');
    assert.equal(b.grant.accessToken, 'access-1-secret');
  });

  test('for a server nobody signed in to: none', async () => {
    const h = setup();
    await h.store.write(signInFor());
    assert.equal(await h.session.access('https://other-be.glean.com'), undefined);
    assert.equal(h.refreshed.length, 0);
  });

  test('a refresh that fails for now (503) is thrown, and the sign-in stands unchanged', async () => {
    const h = setup({
      refresh: async () => {
        throw new GleanError('server-error', 'POST /oauth/token answered HTTP 503', { status: 503 });
      },
    });
    await h.store.write(signInFor());
    h.clock.time = EXPIRES_AT;
    await assert.rejects(h.session.access(SERVER), (error) => error instanceof GleanError && error.code === 'server-error');
    const stored = await h.store.read(SERVER);
    assert.equal(stored?.ended, false);
    assert.equal(stored?.grant.refreshToken, 'refresh-0-secret');
    assert.deepEqual(h.endedCalls, []);
  });
});

describe('a sign-in that ends', () => {
  test('a refused refresh marks it ended, says so, and throws sign-in-needed', async () => {
    const h = setup({
      refresh: async () => {
        throw signInNeeded();
      },
    });
    await h.store.write(signInFor());
    h.clock.time = EXPIRES_AT;
    await assert.rejects(h.session.access(SERVER), (error) => error instanceof GleanError && error.code === 'sign-in-needed');
    assert.deepEqual(h.endedCalls, [SERVER]);
    const status = await h.store.status();
    assert.equal(status?.ended, true);
    assert.equal(status?.identity, 'identity-1', 'who it was stays, so their waiting uploads go on after signing in again');

    // Ended: later callers are told at once, without asking the server again.
    await assert.rejects(h.session.access(SERVER), (error) => error instanceof GleanError && error.code === 'sign-in-needed');
    await assert.rejects(h.session.renew(SERVER, 'access-0-secret'), (error) => error instanceof GleanError && error.code === 'sign-in-needed');
    assert.equal(h.refreshed.length, 1);
    assert.deepEqual(h.endedCalls, [SERVER]);
  });

  test('a silent sign-in that brought the person back: its fresh sign-in is used', async () => {
    const late: { store?: ReturnType<typeof createSignInStore> } = {};
    const h = setup({
      refresh: async () => {
        throw signInNeeded();
      },
      ended: async () => {
        // What signInService.silently() does: a fresh sign-in written for the same person.
        await late.store?.write(signInFor({ accessToken: 'access-silent-secret', refreshToken: 'refresh-silent-secret', expiresAt: EXPIRES_AT + 3_600_000 }));
        return true;
      },
    });
    late.store = h.store;
    await h.store.write(signInFor());
    h.clock.time = EXPIRES_AT;
    const back = await h.session.access(SERVER);
    assert.equal(back?.grant.accessToken, 'access-silent-secret');
    assert.equal(back?.ended, false);
    assert.equal((await h.store.status())?.ended, false);
  });

  test('`ended` saying true without a fresh sign-in still throws', async () => {
    const h = setup({
      refresh: async () => {
        throw signInNeeded();
      },
      ended: async () => true,
    });
    await h.store.write(signInFor());
    h.clock.time = EXPIRES_AT;
    await assert.rejects(h.session.access(SERVER), (error) => error instanceof GleanError && error.code === 'sign-in-needed');
  });
});

test('nothing is stored in clear text: no access or refresh token, before or after refreshing', async () => {
  const h = setup();
  await h.store.write(signInFor());
  h.clock.time = EXPIRES_AT;
  await h.session.access(SERVER);
  await h.session.renew(SERVER, 'access-1-secret');
  const everything = JSON.stringify([...h.local.data]);
  for (const secret of ['access-0-secret', 'refresh-0-secret', 'access-1-secret', 'refresh-1-secret', 'access-2-secret', 'refresh-2-secret', '-secret']) {
    assert.ok(!everything.includes(secret), `${secret} stored as text`);
  }
  assert.equal((await h.store.read(SERVER))?.grant.accessToken, 'access-2-secret', 'yet it reads back');
});

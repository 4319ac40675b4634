import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GleanError } from '../../../src/glean/gleanError.ts';
import type { SettingsInput } from '../../../src/shared/messages.ts';
import { InvalidInput } from '../../../src/worker/invalidInput.ts';
import { readPolicy } from '../../../src/worker/policy.ts';
import { createSettings, type SignInAccess } from '../../../src/worker/settings.ts';
import { signInNeeded } from '../../../src/worker/signIn/oauthFlow.ts';
import type { SignInStatus } from '../../../src/worker/signIn/signInStore.ts';
import { migrateSettings, SETTINGS_VERSION } from '../../../src/worker/storedSettings.ts';
import { createTokenSeal } from '../../../src/worker/tokenSeal.ts';
import { keyInMemory } from './fakeKeys.ts';
import { FakeStorageArea } from './fakeStorage.ts';

const TOKEN = 'glean-secret-token-9876';
const ACME = 'https://acme-prod-be.glean.com';
const OTHER = 'https://other-be.glean.com';
const REDIRECT_URL = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const ACCESS_TOKEN = 'access-token-from-sign-in-5555';

/**
 * The sign-in as settings see it (src/worker/services.ts wires the real one): a status, an access
 * token handed out by `access` (the only call that may refresh), and `clear`, each counted.
 */
class FakeSignIn implements SignInAccess {
  current: SignInStatus | undefined;
  accessToken = ACCESS_TOKEN;
  accessCalls = 0;
  clearCalls = 0;

  async status(): Promise<SignInStatus | undefined> {
    return this.current && { ...this.current };
  }

  async access(server: string) {
    this.accessCalls += 1;
    const current = this.current;
    if (!current || current.server !== server) return undefined;
    if (current.ended) throw signInNeeded();
    return { grant: { accessToken: this.accessToken }, identity: current.identity };
  }

  async clear(): Promise<void> {
    this.clearCalls += 1;
    this.current = undefined;
  }
}

/** `policy`: what `storage.managed` holds, read through the real checker; an Error when the browser cannot read it. */
function setup(initialPolicy: Record<string, unknown> | Error = {}) {
  const local = new FakeStorageArea();
  const signIn = new FakeSignIn();
  let policy = initialPolicy;
  const settings = createSettings({
    local,
    readPolicy: async () => {
      if (policy instanceof Error) throw policy;
      return readPolicy(policy);
    },
    seal: createTokenSeal(keyInMemory()),
    signIn,
    redirectUrl: REDIRECT_URL,
  });
  /** An administrator changes the policy. */
  const setPolicy = (next: Record<string, unknown>) => {
    policy = next;
  };
  return { local, settings, signIn, setPolicy };
}

const input = (overrides: Partial<SettingsInput> = {}): SettingsInput => ({
  instance: 'acme-prod',
  token: TOKEN,
  actAs: '',
  authType: '',
  defaults: {},
  ...overrides,
});

const code = (expected: string) => (error: unknown) => error instanceof GleanError && error.code === expected;

/** A non-secret identity: a short hex digest. */
const IDENTITY = /^[0-9a-f]{24}$/;

describe('settings', () => {
  test('saving an instance name stores its server and the token, and the view never holds the token', async () => {
    const { settings } = setup();
    const view = await settings.save(input());
    assert.equal(view.baseUrl, ACME);
    assert.equal(view.tokenHint, '9876');
    assert.equal(view.ready, true);
    assert.equal(view.redirectUrl, REDIRECT_URL);
    assert.ok(!JSON.stringify(view).includes(TOKEN));
    const { identity, ...conn } = await settings.connection();
    assert.deepEqual(conn, { baseUrl: ACME, token: TOKEN });
    assert.match(identity, IDENTITY);
    assert.equal(view.identity, identity, 'pages may know whose it is');
  });

  test('the identity names the credential and act-as user, never the token, and lasts while they do', async () => {
    const { settings } = setup();
    await settings.save(input());
    const first = (await settings.connection()).identity;
    assert.ok(!first.includes(TOKEN) && !first.includes(TOKEN.slice(-8)));
    await settings.save(input());
    assert.equal((await settings.connection()).identity, first, 'saving the same token again is the same identity');
    await settings.save(input({ token: 'another-token-1234' }));
    const second = (await settings.connection()).identity;
    assert.notEqual(second, first);
    await settings.save(input({ token: undefined, actAs: 'alex@example.com' }));
    const third = (await settings.connection()).identity;
    assert.notEqual(third, second, 'acting as someone else is another identity');
    await settings.save(input({ token: undefined, actAs: 'alex@example.com', authType: 'OAUTH' }));
    assert.notEqual((await settings.connection()).identity, third, 'another auth type is another identity');
    assert.deepEqual(await settings.whose(), { server: ACME, identity: (await settings.connection()).identity });
  });

  test('the token is stored sealed for its server, never as text, and read back through the seal', async () => {
    const { local, settings } = setup();
    await settings.save(input());
    const stored = local.data.get('gleanApiToken');
    assert.ok(stored, 'stored');
    assert.ok(!JSON.stringify(stored).includes(TOKEN), 'not as text');
    assert.equal((stored as { server?: string }).server, ACME);
    assert.equal((await settings.connection()).token, TOKEN);
  });

  test('a token an older version stored as text still works, and is sealed at install or update', async () => {
    const { local, settings } = setup();
    await local.set({ settings: { server: 'old', serverUrl: 'https://old-be.glean.com' }, gleanApiToken: TOKEN });
    assert.equal((await settings.connection()).token, TOKEN);
    await settings.sealStoredToken();
    assert.ok(!JSON.stringify(local.data.get('gleanApiToken')).includes(TOKEN));
    assert.equal((local.data.get('gleanApiToken') as { server?: string }).server, 'https://old-be.glean.com');
    assert.equal((await settings.connection()).token, TOKEN);
    assert.equal((await settings.view()).tokenHint, '9876');
  });

  test('saving without a token keeps the saved one', async () => {
    const { settings } = setup();
    await settings.save(input());
    await settings.save(input({ token: undefined, actAs: 'alex@example.com', authType: 'OAUTH' }));
    const { identity: _identity, ...conn } = await settings.connection();
    assert.deepEqual(conn, {
      baseUrl: ACME,
      token: TOKEN,
      actAs: 'alex@example.com',
      authType: 'OAUTH',
    });
  });

  test('a refused instance or act-as saves nothing', async () => {
    const { local, settings } = setup();
    await assert.rejects(settings.save(input({ instance: 'https://acme.glean.com/search' })), InvalidInput);
    await assert.rejects(settings.save(input({ instance: 'http://acme.example.com' })), /https/);
    await assert.rejects(settings.save(input({ actAs: 'not an email' })), /Act as/);
    await assert.rejects(settings.save(input({ token: 'two words' })), /token/);
    assert.equal(local.data.size, 0);
  });

  test('removing the token leaves the rest, and requests then say Glean is not set up', async () => {
    const { settings } = setup();
    await settings.save(input());
    const view = await settings.removeToken();
    assert.equal(view.tokenHint, null);
    assert.equal(view.baseUrl, ACME);
    assert.equal(view.ready, false);
    assert.equal(view.identity, null);
    await assert.rejects(settings.connection(), code('not-configured'));
    assert.equal(await settings.whose(), null);
  });

  test('enterprise policy wins over the user, and shows as managed', async () => {
    const { settings } = setup({ server: 'corp', authType: 'OAUTH', defaultType: 'LOGO' });
    const view = await settings.save(input({ instance: 'mine', authType: '', defaults: { type: 'UGC' } }));
    assert.equal(view.baseUrl, 'https://corp-be.glean.com');
    assert.equal(view.authType, 'OAUTH');
    assert.equal(view.defaults.type, 'LOGO');
    assert.deepEqual(view.managed, { instance: true, authType: true, defaults: true, cacheSize: false, signInMethod: null, invalid: false });
    assert.equal((await settings.connection()).authType, 'OAUTH');
  });

  test('a policy that cannot be read (Firefox without policies) counts as none', async () => {
    const { settings } = setup(new Error('Managed storage manifest not found'));
    const view = await settings.save(input());
    assert.deepEqual(view.managed, { instance: false, authType: false, defaults: false, cacheSize: false, signInMethod: null, invalid: false });
    assert.equal((await settings.connection()).token, TOKEN);
  });

  test("a right-click upload goes with the administrator's defaults, waiting for a policy not yet read", async () => {
    const local = new FakeStorageArea();
    const settings = createSettings({
      local,
      // Nothing read yet: showing skips the reading, sending waits for it.
      readPolicy: async (whenUnread) => (whenUnread === 'skip' ? undefined : readPolicy({ defaultType: 'LOGO' })),
      seal: createTokenSeal(keyInMemory()),
      signIn: new FakeSignIn(),
      redirectUrl: REDIRECT_URL,
    });
    await settings.save(input({ defaults: { type: 'UGC' } }));
    assert.equal((await settings.uploadDefaults()).type, 'LOGO');
  });

  test('right-click defaults are kept, trimmed, and an unknown type is dropped', async () => {
    const { settings } = setup();
    const view = await settings.save(input({ defaults: { type: 'UGC', id: ' 42 ', ds: 'confluence', cid: '' } }));
    assert.deepEqual(view.defaults, { type: 'UGC', id: '42', ds: 'confluence', cid: '' });
  });
});

describe('credentials are bound to their server', () => {
  test('a token saved for server A is dropped when server B is saved, with the sign-in, and B never gets it', async () => {
    const { local, settings, signIn } = setup();
    await settings.save(input());
    const view = await settings.save(input({ instance: 'other', token: undefined }));
    assert.equal(view.baseUrl, OTHER);
    assert.equal(view.tokenHint, null);
    assert.equal(local.data.has('gleanApiToken'), false, 'A’s token is gone from storage');
    assert.equal(signIn.clearCalls, 1, 'and so is the sign-in');
    await assert.rejects(settings.connection(), code('not-configured'));
  });

  test('“Sign in with Glean” saving another server drops the old server’s token and sign-in too', async () => {
    const { local, settings, signIn } = setup();
    await settings.save(input());
    assert.equal(await settings.saveServer(' other '), OTHER);
    assert.equal(local.data.has('gleanApiToken'), false);
    assert.equal(signIn.clearCalls, 1);
    assert.equal((await settings.view()).instance, 'other');
    await assert.rejects(settings.connection(), code('not-configured'));
  });

  test('saving the same server again keeps its token and sign-in', async () => {
    const { settings, signIn } = setup();
    await settings.save(input());
    await settings.save(input({ instance: 'https://acme-prod-be.glean.com/', token: undefined }));
    assert.equal(await settings.saveServer('acme-prod'), ACME);
    assert.equal(signIn.clearCalls, 0);
    assert.equal((await settings.connection()).token, TOKEN);
  });

  test('a token sealed for A stays A’s even when storage says the server is B', async () => {
    const { local, settings } = setup();
    await settings.save(input());
    // The settings record changed without going through save (another version, a restored profile).
    await local.set({ settings: { ...migrateSettings(local.data.get('settings')), instance: 'other', baseUrl: OTHER } });
    assert.equal((await settings.view()).tokenHint, null);
    await assert.rejects(settings.connection(), code('not-configured'));
    await settings.sealStoredToken();
    await assert.rejects(settings.connection(), code('not-configured'), 'nor is it sealed again for B at an update');
  });

  test('stored settings whose server is not what their instance names read as no server', async () => {
    const { local, settings } = setup();
    await settings.save(input());
    await local.set({ settings: { ...migrateSettings(local.data.get('settings')), baseUrl: 'https://evil.example' } });
    const view = await settings.view();
    assert.equal(view.baseUrl, '');
    assert.equal(view.ready, false);
    await assert.rejects(settings.connection(), code('not-configured'));
    assert.equal(await settings.whose(), null);
  });
});

describe('an invalid policy fails closed', () => {
  const invalid = { server: 'corp', cacheMegabytes: -1 };

  test('no connection, no credential, and the view says the policy is invalid', async () => {
    const { local, settings } = setup(invalid);
    await local.set({ settings: { version: SETTINGS_VERSION, instance: 'acme-prod', baseUrl: ACME, actAs: '', authType: '', defaults: {} } });
    const view = await settings.view();
    assert.equal(view.managed.invalid, true);
    assert.equal(view.ready, false);
    await assert.rejects(settings.connection(), code('policy-invalid'));
    assert.equal(await settings.whose(), null);
    await assert.rejects(settings.signInPlan(), code('policy-invalid'));
    await assert.rejects(settings.saveServer('acme-prod'), code('policy-invalid'));
  });

  test('even with a token and a sign-in the person had before the policy came', async () => {
    const { settings, signIn, setPolicy } = setup();
    await settings.save(input());
    signIn.current = { server: ACME, method: 'glean', identity: 'sign-in-identity-1', ended: false };
    assert.equal((await settings.connection()).token, ACCESS_TOKEN);
    setPolicy(invalid);
    await assert.rejects(settings.connection(), code('policy-invalid'));
    assert.equal(await settings.whose(), null);
    assert.equal((await settings.view()).managed.invalid, true);
    assert.equal(signIn.accessCalls, 1, 'not even refreshed');
  });
});

describe('a sign-in', () => {
  /** Settings for ACME with an API token saved, and `status` as the sign-in. */
  async function signedIn(status: Partial<SignInStatus> = {}, policy: Record<string, unknown> = {}, saved: Partial<SettingsInput> = {}) {
    const h = setup(policy);
    await h.settings.save(input(saved));
    h.signIn.current = { server: ACME, method: 'glean', identity: 'sign-in-identity-1', ended: false, ...status };
    return h;
  }

  test('for the saved server: requests use its access token, not the API token', async () => {
    const { settings, signIn } = await signedIn();
    const conn = await settings.connection();
    assert.equal(conn.token, ACCESS_TOKEN);
    assert.equal(conn.authType, undefined, 'Glean’s own tokens need no auth type');
    assert.equal(signIn.accessCalls, 1);
    const view = await settings.view();
    assert.deepEqual(view.signIn, { host: 'acme-prod-be.glean.com', method: 'glean', ended: false });
    assert.equal(view.identity, conn.identity);
    assert.ok(!JSON.stringify(view).includes(ACCESS_TOKEN));
  });

  test('its identity is the sign-in’s, whatever its access token: refreshing keeps it', async () => {
    const { settings, signIn } = await signedIn();
    const before = await settings.connection();
    signIn.accessToken = 'access-token-refreshed';
    const after = await settings.connection();
    assert.equal(after.token, 'access-token-refreshed');
    assert.equal(after.identity, before.identity);
    signIn.current = { server: ACME, method: 'glean', identity: 'sign-in-identity-2', ended: false };
    assert.notEqual((await settings.connection()).identity, before.identity, 'someone else signing in is another identity');
  });

  test('sends authType OAUTH only for an identity provider’s token, whatever the person chose', async () => {
    const glean = await signedIn({ method: 'glean' }, {}, { authType: 'OAUTH' });
    assert.equal((await glean.settings.connection()).authType, undefined);
    const idp = await signedIn({ method: 'idp' });
    assert.equal((await idp.settings.connection()).authType, 'OAUTH');
  });

  test('for another server is not used: the API token is', async () => {
    const { settings } = await signedIn({ server: OTHER });
    assert.equal((await settings.connection()).token, TOKEN);
    assert.equal((await settings.view()).signIn, null);
  });

  test('a policy allowing only API tokens ignores it', async () => {
    const { settings, signIn } = await signedIn({}, { signInMethod: 'token' });
    assert.equal((await settings.connection()).token, TOKEN);
    assert.equal(signIn.accessCalls, 0, 'the sign-in is not even refreshed');
    assert.equal((await settings.view()).managed.signInMethod, 'token');
  });

  test('a policy allowing only signing in ignores a saved API token', async () => {
    const { settings, signIn } = await signedIn({}, { signInMethod: 'glean' });
    assert.equal((await settings.connection()).token, ACCESS_TOKEN);
    signIn.current = undefined;
    await assert.rejects(settings.connection(), code('not-configured'));
    assert.equal(await settings.whose(), null);
  });

  test('whose() names it without refreshing anything', async () => {
    const { settings, signIn } = await signedIn();
    const who = await settings.whose();
    await settings.view();
    assert.equal(signIn.accessCalls, 0);
    assert.deepEqual(who, { server: ACME, identity: (await settings.connection()).identity });
  });

  test('that ended: nobody to upload as, and requests say to sign in again', async () => {
    const { settings } = await signedIn({ ended: true });
    assert.equal(await settings.whose(), null);
    await assert.rejects(settings.connection(), code('sign-in-needed'));
    assert.deepEqual((await settings.view()).signIn, { host: 'acme-prod-be.glean.com', method: 'glean', ended: true });
  });

  test('signInPlan names the saved server and the policy', async () => {
    const { settings } = await signedIn({}, { oauthClientId: 'admin-client' });
    assert.deepEqual(await settings.signInPlan(), { server: ACME, policy: { oauthClientId: 'admin-client' } });
    const none = setup();
    await assert.rejects(none.settings.signInPlan(), code('not-configured'));
  });
});

describe('stored settings migrations', () => {
  test('a version 1 record (no version field) becomes the current layout', () => {
    const migrated = migrateSettings({ server: 'acme-prod', serverUrl: 'https://acme-prod-be.glean.com', actAsEmail: 'a@b.co', authType: 'OAUTH' });
    assert.deepEqual(migrated, {
      version: SETTINGS_VERSION,
      instance: 'acme-prod',
      baseUrl: 'https://acme-prod-be.glean.com',
      actAs: 'a@b.co',
      authType: 'OAUTH',
      defaults: { type: '', id: '', ds: '', cid: '' },
    });
  });

  test('a current record is read as stored; garbage becomes empty settings', () => {
    const current = { version: SETTINGS_VERSION, instance: 'x', baseUrl: 'https://x-be.glean.com', actAs: '', authType: '', defaults: { type: 'LOGO', id: '', ds: '', cid: '' } };
    assert.deepEqual(migrateSettings(current), current);
    assert.equal(migrateSettings('nonsense').baseUrl, '');
    assert.equal(migrateSettings({ version: 99 }).version, SETTINGS_VERSION);
  });

  test('an old layout in storage is read through the migration by the settings module', async () => {
    const { local, settings } = setup();
    await local.set({ settings: { server: 'old', serverUrl: 'https://old-be.glean.com' } });
    assert.equal((await settings.view()).baseUrl, 'https://old-be.glean.com');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GleanError } from '../../../src/glean/gleanError.ts';
import type { SettingsInput } from '../../../src/shared/messages.ts';
import { InvalidInput } from '../../../src/worker/invalidInput.ts';
import { createSettings, type ManagedPolicy } from '../../../src/worker/settings.ts';
import { migrateSettings, SETTINGS_VERSION } from '../../../src/worker/storedSettings.ts';
import { createTokenSeal } from '../../../src/worker/tokenSeal.ts';
import { keyInMemory } from './fakeKeys.ts';
import { FakeStorageArea } from './fakeStorage.ts';

const TOKEN = 'glean-secret-token-9876';

function setup(policy: ManagedPolicy | Error = {}) {
  const local = new FakeStorageArea();
  const settings = createSettings({
    local,
    readPolicy: async () => {
      if (policy instanceof Error) throw policy;
      return policy;
    },
    seal: createTokenSeal(keyInMemory()),
  });
  return { local, settings };
}

const input = (overrides: Partial<SettingsInput> = {}): SettingsInput => ({
  instance: 'acme-prod',
  token: TOKEN,
  actAs: '',
  authType: '',
  defaults: {},
  ...overrides,
});

describe('settings', () => {
  test('saving an instance name stores its server and the token, and the view never holds the token', async () => {
    const { settings } = setup();
    const view = await settings.save(input());
    assert.equal(view.baseUrl, 'https://acme-prod-be.glean.com');
    assert.equal(view.tokenHint, '9876');
    assert.ok(!JSON.stringify(view).includes(TOKEN));
    assert.deepEqual(await settings.connection(), { baseUrl: 'https://acme-prod-be.glean.com', token: TOKEN });
  });

  test('the token is stored sealed, never as text, and read back through the seal', async () => {
    const { local, settings } = setup();
    await settings.save(input());
    const stored = local.data.get('gleanApiToken');
    assert.ok(stored, 'stored');
    assert.ok(!JSON.stringify(stored).includes(TOKEN), 'not as text');
    assert.equal((await settings.connection()).token, TOKEN);
  });

  test('a token an older version stored as text still works, and is sealed at install or update', async () => {
    const { local, settings } = setup();
    await local.set({ settings: { server: 'old', serverUrl: 'https://old-be.glean.com' }, gleanApiToken: TOKEN });
    assert.equal((await settings.connection()).token, TOKEN);
    await settings.sealStoredToken();
    assert.ok(!JSON.stringify(local.data.get('gleanApiToken')).includes(TOKEN));
    assert.equal((await settings.connection()).token, TOKEN);
    assert.equal((await settings.view()).tokenHint, '9876');
  });

  test('saving without a token keeps the saved one', async () => {
    const { settings } = setup();
    await settings.save(input());
    await settings.save(input({ token: undefined, actAs: 'alex@example.com', authType: 'OAUTH' }));
    assert.deepEqual(await settings.connection(), {
      baseUrl: 'https://acme-prod-be.glean.com',
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
    assert.equal(view.baseUrl, 'https://acme-prod-be.glean.com');
    await assert.rejects(settings.connection(), (e) => e instanceof GleanError && e.code === 'not-configured');
  });

  test('enterprise policy wins over the user, and shows as managed', async () => {
    const { settings } = setup({ instance: 'corp', authType: 'OAUTH' });
    const view = await settings.save(input({ instance: 'mine', authType: '' }));
    assert.equal(view.baseUrl, 'https://corp-be.glean.com');
    assert.equal(view.authType, 'OAUTH');
    assert.deepEqual(view.managed, { instance: true, authType: true });
    assert.equal((await settings.connection()).authType, 'OAUTH');
  });

  test('a policy that cannot be read (Firefox without policies) counts as none', async () => {
    const { settings } = setup(new Error('Managed storage manifest not found'));
    const view = await settings.save(input());
    assert.deepEqual(view.managed, { instance: false, authType: false });
  });

  test('right-click defaults are kept, trimmed, and an unknown type is dropped', async () => {
    const { settings } = setup();
    const view = await settings.save(input({ defaults: { type: 'UGC', id: ' 42 ', ds: 'confluence', cid: '' } }));
    assert.deepEqual(view.defaults, { type: 'UGC', id: '42', ds: 'confluence', cid: '' });
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

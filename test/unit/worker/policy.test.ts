import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { POLICY_KEYS, readPolicy } from '../../../src/worker/policy.ts';

const COMPLETE = {
  server: 'acme-prod',
  authType: 'OAUTH',
  signInMethod: 'idp',
  oauthClientId: 'glean-client',
  oauthScopes: ['openid', 'search', 'offline_access'],
  idpIssuer: 'https://acme.okta.com/oauth2/default',
  idpClientId: 'okta-client',
  defaultType: 'UGC',
  defaultId: 'post-1',
  defaultDatasource: 'wiki',
  defaultContentId: '',
  cacheMegabytes: 200,
};

describe('readPolicy', () => {
  test('a complete valid policy is read whole', () => {
    assert.deepEqual(readPolicy(COMPLETE), {
      ok: true,
      policy: {
        server: { instance: 'acme-prod', baseUrl: 'https://acme-prod-be.glean.com' },
        authType: 'OAUTH',
        signInMethod: 'idp',
        oauthClientId: 'glean-client',
        oauthScopes: ['openid', 'search', 'offline_access'],
        idpIssuer: 'https://acme.okta.com/oauth2/default',
        idpClientId: 'okta-client',
        defaults: { type: 'UGC', id: 'post-1', ds: 'wiki', cid: '' },
        cacheMegabytes: 200,
      },
    });
  });

  test('no policy is a valid, empty one', () => {
    assert.deepEqual(readPolicy({}), { ok: true, policy: {} });
  });

  test('a server given as a URL is kept as written, with the server it names', () => {
    assert.deepEqual(readPolicy({ server: ' https://acme.glean.example ' }), {
      ok: true,
      policy: { server: { instance: 'https://acme.glean.example', baseUrl: 'https://acme.glean.example' } },
    });
  });

  const invalid: Array<[string, Record<string, unknown>, string[]]> = [
    ['a server with a path', { server: 'https://acme.glean.com/search' }, ['server']],
    ['a server over plain http', { server: 'http://acme.example.com' }, ['server']],
    ['an empty server', { server: '  ' }, ['server']],
    ['a server that is not text', { server: 42 }, ['server']],
    ['authType x', { authType: 'x' }, ['authType']],
    ['signInMethod sso', { signInMethod: 'sso' }, ['signInMethod']],
    ['oauthScopes with a space', { oauthScopes: ['search images'] }, ['oauthScopes']],
    ['oauthScopes as one string', { oauthScopes: 'search' }, ['oauthScopes']],
    ['oauthScopes with a quote', { oauthScopes: ['a"b'] }, ['oauthScopes']],
    ['idpIssuer over plain http', { idpIssuer: 'http://evil.example' }, ['idpIssuer']],
    ['idpIssuer with a query', { idpIssuer: 'https://acme.okta.com/?x=1' }, ['idpIssuer']],
    ['idpIssuer that is no URL', { idpIssuer: 'acme okta' }, ['idpIssuer']],
    ['signInMethod idp without an issuer', { signInMethod: 'idp', idpClientId: 'c' }, ['idpIssuer']],
    ['signInMethod idp without a client', { signInMethod: 'idp', idpIssuer: 'https://acme.okta.com' }, ['idpClientId']],
    ['defaultType NOPE', { defaultType: 'NOPE' }, ['defaultType']],
    ['a default that is not text', { defaultId: 7 }, ['defaultId']],
    ['cacheMegabytes -1', { cacheMegabytes: -1 }, ['cacheMegabytes']],
    ['cacheMegabytes as text', { cacheMegabytes: '200' }, ['cacheMegabytes']],
  ];
  // Everything else valid, so that the one value is what makes it invalid.
  const { signInMethod: _method, idpIssuer: _issuer, idpClientId: _client, ...rest } = COMPLETE;
  assert.equal(readPolicy(rest).ok, true);
  for (const [what, raw, keys] of invalid) {
    test(`${what} makes the policy invalid, naming the key`, () => {
      const reading = readPolicy({ ...rest, ...raw });
      assert.equal(reading.ok, false, JSON.stringify(reading));
      if (reading.ok) return;
      for (const key of keys) assert.ok(reading.problems.some((problem) => problem.split('/').includes(key)), `${key} in ${JSON.stringify(reading.problems)}`);
    });
  }

  test('every problem is named, not only the first', () => {
    const reading = readPolicy({ server: 'https://a.example/x', authType: 'x', cacheMegabytes: -1 });
    assert.equal(reading.ok, false);
    if (!reading.ok) for (const key of ['server', 'authType', 'cacheMegabytes']) assert.ok(reading.problems.includes(key), key);
  });

  test('unknown keys are ignored, as the browsers ignore them', () => {
    assert.deepEqual(readPolicy({ server: 'acme-prod', colour: 'blue', instance: 'evil' }), {
      ok: true,
      policy: { server: { instance: 'acme-prod', baseUrl: 'https://acme-prod-be.glean.com' } },
    });
  });

  test('its keys are the ones public/managed_schema.json declares', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../public/managed_schema.json', import.meta.url), 'utf8')) as { properties: Record<string, unknown> };
    assert.deepEqual([...POLICY_KEYS].sort(), Object.keys(schema.properties).sort());
  });
});

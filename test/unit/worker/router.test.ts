import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRouter, type Handlers, type Sender } from '../../../src/worker/router.ts';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;

function setup() {
  const calls: string[] = [];
  const answer = (name: string) => async () => {
    calls.push(name);
    return name as never;
  };
  const handlers: Handlers = {
    'settings/get': answer('settings/get'),
    'settings/save': answer('settings/save'),
    'settings/removeToken': answer('settings/removeToken'),
    'connection/test': answer('connection/test'),
    'signIn/start': answer('signIn/start'),
    'signIn/signOut': answer('signIn/signOut'),
    'image/serve': async () => {
      throw new Error('boom with secret');
    },
    'cache/stats': answer('cache/stats'),
    'cache/clear': answer('cache/clear'),
    'cache/setBudget': answer('cache/setBudget'),
    'upload/start': answer('upload/start'),
    'upload/retry': answer('upload/retry'),
    'upload/remove': answer('upload/remove'),
    'link/fetch': answer('link/fetch'),
  };
  const route = createRouter({
    handlers,
    extensionId: ID,
    extensionOrigin: ORIGIN,
    describeError: () => ({ code: 'unexpected', message: 'described' }),
  });
  return { route, calls, handlers };
}

const forged: [string, Sender][] = [
  ['a content script (our id, a web page URL)', { id: ID, url: 'https://evil.example/page', tab: {} }],
  ['another extension', { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/popup.html' }],
  ['a web page (no id)', { url: 'https://evil.example/' }],
  ['a sender with no URL', { id: ID }],
  ['a look-alike origin', { id: ID, url: `chrome-extension://${ID}.evil.example/` }],
];

describe('message router', () => {
  for (const [who, sender] of forged) {
    test(`refuses every privileged request from ${who}`, async () => {
      const { route, calls, handlers } = setup();
      for (const type of Object.keys(handlers)) {
        const reply = await route({ type, payload: null }, sender);
        assert.deepEqual(reply.ok ? reply : reply.error.code, 'refused', `${type} from ${who}`);
      }
      assert.deepEqual(calls, []);
    });
  }

  test('answers the extension’s own pages, including one open in a tab', async () => {
    const { route, calls } = setup();
    assert.deepEqual(await route({ type: 'settings/get', payload: null }, { id: ID, url: `${ORIGIN}popup.html` }), { ok: true, value: 'settings/get' });
    assert.deepEqual(await route({ type: 'connection/test', payload: null }, { id: ID, url: `${ORIGIN}options.html`, tab: { id: 3 } }), {
      ok: true,
      value: 'connection/test',
    });
    assert.deepEqual(calls, ['settings/get', 'connection/test']);
  });

  test('unknown requests and failures come back as data', async () => {
    const { route } = setup();
    const own = { id: ID, url: `${ORIGIN}popup.html` };
    assert.deepEqual(await route({ type: 'toString', payload: null }, own), { ok: false, error: { code: 'invalid-input', message: 'Unknown request.' } });
    assert.deepEqual(await route('settings/get', own), { ok: false, error: { code: 'invalid-input', message: 'Unknown request.' } });
    assert.deepEqual(await route({ type: 'image/serve', payload: { address: '/glean/image?key=k1' } }, own), { ok: false, error: { code: 'unexpected', message: 'described' } });
  });

  test('a payload without the shape its type needs is refused before any handler runs', async () => {
    const { route, calls } = setup();
    const own = { id: ID, url: `${ORIGIN}options.html` };
    const malformed: Array<[string, unknown]> = [
      ['signIn/start', null],
      ['signIn/start', { instance: 42 }],
      ['signIn/signOut', { instance: 'acme' }],
      ['settings/save', { instance: 'acme', actAs: '', authType: '', token: 7, defaults: {} }],
      ['image/serve', null],
      ['image/serve', { address: 7 }],
      ['cache/setBudget', { megabytes: '5' }],
    ];
    for (const [type, payload] of malformed) {
      const reply = await route({ type, payload }, own);
      assert.deepEqual(reply.ok ? reply : reply.error.code, 'invalid-input', `${type} ${JSON.stringify(payload)}`);
    }
    assert.deepEqual(calls, []);
    assert.deepEqual(await route({ type: 'signIn/start', payload: { instance: 'acme-prod' } }, own), { ok: true, value: 'signIn/start' });
    assert.deepEqual(calls, ['signIn/start']);
  });
});

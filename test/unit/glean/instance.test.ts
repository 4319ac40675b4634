import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  instanceHostPattern,
  parseActAs,
  parseInstance,
  type InstanceProblem,
} from '../../../src/glean/instance.ts';

describe('parseInstance', () => {
  const good: Array<[string, string]> = [
    ['acme-prod', 'https://acme-prod-be.glean.com'],
    ['  Acme-Prod  ', 'https://acme-prod-be.glean.com'],
    ['acme2', 'https://acme2-be.glean.com'],
    ['https://acme-prod-be.glean.com', 'https://acme-prod-be.glean.com'],
    ['https://acme-prod-be.glean.com/', 'https://acme-prod-be.glean.com'],
    ['https://acme-prod-be.glean.com///', 'https://acme-prod-be.glean.com'],
    ['acme-prod-be.glean.com', 'https://acme-prod-be.glean.com'],
    ['acme-prod-be.glean.com/', 'https://acme-prod-be.glean.com'],
    ['HTTPS://ACME-PROD-BE.GLEAN.COM', 'https://acme-prod-be.glean.com'],
    ['https://glean.example.com:8443', 'https://glean.example.com:8443'],
    ['https://glean.example.com:443/', 'https://glean.example.com'],
    ['glean.example.com:8443', 'https://glean.example.com:8443'],
    ['localhost:3000', 'https://localhost:3000'],
  ];
  for (const [input, baseUrl] of good) {
    it(`accepts ${JSON.stringify(input)}`, () => assert.deepEqual(parseInstance(input), { ok: true, baseUrl }));
  }

  const loopback: Array<[string, string]> = [
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.0.0.1', 'http://127.0.0.1'],
    ['http://localhost:3000/', 'http://localhost:3000'],
  ];
  for (const [input, baseUrl] of loopback) {
    it(`accepts ${JSON.stringify(input)} only where loopback http is allowed (dev builds)`, () => {
      assert.deepEqual(parseInstance(input, { allowLoopbackHttp: true }), { ok: true, baseUrl });
      assert.deepEqual(parseInstance(input, { allowLoopbackHttp: false }), { ok: false, problem: 'https-only' });
    });
  }

  it('refuses plain http by default, where no build has said otherwise (the unbundled sources count as a store build)', () => {
    assert.deepEqual(parseInstance('http://127.0.0.1:8787'), { ok: false, problem: 'https-only' });
    assert.deepEqual(parseInstance('http://acme-prod-be.glean.com'), { ok: false, problem: 'https-only' });
  });

  const bad: Array<[string, InstanceProblem]> = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['https://acme-prod-be.glean.com/api', 'has-path'],
    ['https://acme-prod-be.glean.com/rest/api/v1/images', 'has-path'],
    ['https://acme-prod-be.glean.com?x=1', 'has-path'],
    ['https://acme-prod-be.glean.com/?', 'has-path'],
    ['https://acme-prod-be.glean.com#top', 'has-path'],
    ['https://user:pass@acme-prod-be.glean.com', 'has-credentials'],
    ['user:pass@acme-prod-be.glean.com', 'has-credentials'],
    ['https://user@acme-prod-be.glean.com', 'has-credentials'],
    ['javascript:alert(1)', 'bad-scheme'],
    ['ftp://acme-prod-be.glean.com', 'bad-scheme'],
    ['file:///etc/passwd', 'bad-scheme'],
    ['data:text/html,hi', 'bad-scheme'],
    ['http://acme-prod-be.glean.com', 'insecure-http'],
    ['http://127.0.0.2', 'insecure-http'],
    ['http://localhost.evil.example', 'insecure-http'],
    ['acme prod', 'invalid'],
    ['acme\tprod', 'invalid'],
    ['https://acme-prod-be.glean\n.com', 'invalid'],
    ['https://', 'invalid'],
    ['-acme', 'invalid'],
    ['https://exa mple.com', 'invalid'],
  ];
  for (const [input, problem] of bad) {
    it(`refuses ${JSON.stringify(input)} (${problem})`, () => assert.deepEqual(parseInstance(input, { allowLoopbackHttp: true }), { ok: false, problem }));
  }
});

describe('parseActAs', () => {
  it('is optional', () => {
    assert.deepEqual(parseActAs(''), { ok: true });
    assert.deepEqual(parseActAs('   '), { ok: true });
  });

  const good = ['alex@example.com', ' alex.smith+glean@mail.example.co.uk ', 'a@b.c'];
  for (const input of good) {
    it(`accepts ${JSON.stringify(input)}`, () => assert.deepEqual(parseActAs(input), { ok: true, actAs: input.trim() }));
  }

  const bad = [
    'alex',
    'alex@example',
    '@example.com',
    'alex@@example.com',
    'alex@b@example.com',
    'alex smith@example.com',
    'alex@example.com\r\nX-Evil: 1',
    'alex@.example.com',
    'alex@example..com',
    'alex@example.com.',
    `${'a'.repeat(65)}@example.com`,
    `alex@${'d'.repeat(250)}.com`,
  ];
  for (const input of bad) {
    it(`refuses ${JSON.stringify(input.slice(0, 40))}`, () => assert.deepEqual(parseActAs(input), { ok: false }));
  }
});

describe('host permissions', () => {
  it('builds a match pattern without the port', () => {
    assert.equal(instanceHostPattern('https://acme-prod-be.glean.com'), 'https://acme-prod-be.glean.com/*');
    assert.equal(instanceHostPattern('https://glean.example.com:8443'), 'https://glean.example.com/*');
    assert.equal(instanceHostPattern('http://127.0.0.1:8080'), 'http://127.0.0.1/*');
    assert.equal(instanceHostPattern('http://localhost:3000'), 'http://localhost/*');
  });
});

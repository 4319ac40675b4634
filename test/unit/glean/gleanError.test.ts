import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GleanError,
  asGleanError,
  bodyExcerpt,
  codeForStatus,
  redact,
} from '../../../src/glean/gleanError.ts';

const TOKEN = 'glean_tok_Secret123+/=';

describe('codeForStatus', () => {
  const table: Array<[number, string]> = [
    [400, 'bad-request'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [408, 'timeout'],
    [413, 'too-large'],
    [429, 'rate-limited'],
    [500, 'server-error'],
    [599, 'server-error'],
    [302, 'http'],
    [409, 'http'],
  ];
  for (const [status, code] of table) it(`${status} → ${code}`, () => assert.equal(codeForStatus(status), code));
});

describe('GleanError', () => {
  it('is an Error with its fields', () => {
    const e = new GleanError('rate-limited', 'slow down', { status: 429, contentType: 'text/plain', retryAfterMs: 3_000 });
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'GleanError');
    assert.deepEqual(
      { code: e.code, status: e.status, contentType: e.contentType, retryAfterMs: e.retryAfterMs, retryable: e.retryable },
      { code: 'rate-limited', status: 429, contentType: 'text/plain', retryAfterMs: 3_000, retryable: true },
    );
  });

  it('keeps a body excerpt to 200 characters with whitespace collapsed', () => {
    const excerpt = bodyExcerpt(`  a\n\tb   c ${'z'.repeat(500)}`);
    assert.equal(excerpt.length, 200);
    assert.ok(excerpt.startsWith('a b c zzz'));
    assert.ok(excerpt.endsWith('…'));
  });
});

describe('redaction', () => {
  it('replaces every occurrence of a secret, raw or URL-encoded', () => {
    assert.equal(
      redact(`a ${TOKEN} b ${TOKEN} c ${encodeURIComponent(TOKEN)}`, [TOKEN]),
      'a [redacted] b [redacted] c [redacted]',
    );
  });

  it('ignores empty secrets', () => assert.equal(redact('abc', ['']), 'abc'));

  it('redacts before cutting, so no prefix of a secret survives at the edge', () => {
    const text = `${'x'.repeat(190)} ${TOKEN}`;
    const excerpt = bodyExcerpt(text, [TOKEN]);
    assert.ok(!excerpt.includes(TOKEN.slice(0, 8)), excerpt);
  });
});

describe('asGleanError', () => {
  it('turns anything thrown into a code', () => {
    assert.equal(asGleanError(new DOMException('stop', 'AbortError')).code, 'aborted');
    assert.equal(asGleanError(new DOMException('late', 'TimeoutError')).code, 'timeout');
    assert.equal(asGleanError('weird').code, 'http');
    assert.equal(asGleanError(new RangeError('bug')).message, 'bug');
  });
});

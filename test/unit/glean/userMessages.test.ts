import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GleanError, type GleanErrorCode } from '../../../src/glean/gleanError.ts';
import { describeGleanError, type GleanActivity } from '../../../src/glean/userMessages.ts';

const CODES: GleanErrorCode[] = [
  'unauthorized',
  'forbidden',
  'not-found',
  'bad-request',
  'rate-limited',
  'server-error',
  'unreachable',
  'timeout',
  'aborted',
  'bad-response',
  'not-configured',
  'sign-in-needed',
  'policy-invalid',
  'no-access',
  'too-large',
  'redirected',
  'http',
];
const CONTEXTS: GleanActivity[] = ['lookup', 'upload', 'test'];

const status = (code: GleanErrorCode, s: number, extra: { retryAfterMs?: number; contentType?: string } = {}): GleanError =>
  new GleanError(code, 'technical', { status: s, ...extra });

describe('describeGleanError', () => {
  it('401 names the API token and Options', () => {
    assert.equal(describeGleanError(status('unauthorized', 401), 'lookup'), 'Glean rejected the API token. Check it in Options.');
  });

  it('403 names permission and scope', () => {
    const text = describeGleanError(status('forbidden', 403), 'upload');
    assert.match(text, /permission/);
    assert.match(text, /scope for images/);
  });

  it('404 on a lookup says the image was not found', () => {
    assert.match(describeGleanError(status('not-found', 404), 'lookup'), /no image/);
  });

  it('unreachable says whether it will be retried', () => {
    const offline = new GleanError('unreachable', 'fetch failed');
    assert.equal(
      describeGleanError(offline, 'upload', { willRetry: true, retryInMs: 4_000 }),
      'Glean could not be reached. Check your network connection and the instance in Options. Trying again in 4 s.',
    );
    assert.match(describeGleanError(offline, 'lookup', { willRetry: true }), /could not be reached.*Trying again shortly\.$/);
    assert.match(describeGleanError(offline, 'lookup'), /could not be reached.*Try again later\.$/);
  });

  it('rate limited says when to try again', () => {
    const limited = status('rate-limited', 429, { retryAfterMs: 30_000 });
    assert.equal(describeGleanError(limited, 'lookup'), 'Glean is rate limiting requests. Try again in 30 s.');
    assert.equal(describeGleanError(limited, 'upload', { willRetry: true, retryInMs: 2_500 }), 'Glean is rate limiting requests. Trying again in 3 s.');
    assert.equal(
      describeGleanError(status('rate-limited', 429, { retryAfterMs: 180_000 }), 'upload'),
      'Glean is rate limiting requests. Try again in 3 min.',
    );
  });

  it('timeout', () => {
    assert.equal(describeGleanError(new GleanError('timeout', 'slow'), 'lookup'), 'Glean took too long to answer. Try again later.');
  });

  it('bad-response names what came instead of an image', () => {
    assert.match(
      describeGleanError(status('bad-response', 200, { contentType: 'text/html' }), 'lookup'),
      /^Glean answered with text\/html instead of an image, which usually means a sign-in page\./,
    );
    assert.equal(
      describeGleanError(status('bad-response', 200, { contentType: 'application/json' }), 'test'),
      'Glean answered with application/json instead of an image. Check the instance in Options.',
    );
    assert.match(describeGleanError(status('bad-response', 200, { contentType: 'text/html' }), 'upload'), /could not be read \(text\/html\)/);
  });

  it('not-configured offers both ways in', () => {
    assert.equal(describeGleanError(new GleanError('not-configured', 'x'), 'test'), 'Sign in with Glean, or set an API token, in Options.');
  });

  it('an ended sign-in says to sign in again, and is never retried by itself', () => {
    const ended = new GleanError('sign-in-needed', 'x');
    assert.equal(ended.retryable, false);
    assert.match(describeGleanError(ended, 'upload', { willRetry: true, retryInMs: 1_000 }), /^Your Glean sign-in has ended\. Sign in again/);
    assert.doesNotMatch(describeGleanError(ended, 'lookup'), /Trying again|Try again/);
  });

  it('an invalid policy says nothing is sent and who can fix it', () => {
    assert.match(describeGleanError(new GleanError('policy-invalid', 'x'), 'lookup'), /policy.*invalid.*nothing is sent.*administrator|Ask them/);
  });

  it('never promises a retry for a failure that will not pass', () => {
    assert.doesNotMatch(describeGleanError(status('unauthorized', 401), 'upload', { willRetry: true, retryInMs: 1_000 }), /again/i);
  });

  it('has a complete message for every code in every context', () => {
    for (const code of CODES) {
      for (const context of CONTEXTS) {
        for (const e of [new GleanError(code, 'x'), new GleanError(code, 'x', { status: 500, contentType: 'text/plain' })]) {
          const text = describeGleanError(e, context);
          assert.ok(text.length > 10, `${code}/${context}: ${text}`);
          assert.doesNotMatch(text, /\$|undefined|technical/, `${code}/${context}: ${text}`);
        }
      }
    }
  });
});

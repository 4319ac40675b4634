import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GleanError, type GleanErrorCode } from '../../../src/glean/gleanError.ts';
import {
  LOOKUP_RETRY,
  UPLOAD_RETRY,
  decideRetry,
  parseRetryAfter,
  retrying,
  type RetryPolicy,
} from '../../../src/glean/retryPolicy.ts';
import { deferred, fakeClock, settle } from './fakes.ts';

const NOW = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

function httpError(status: number, code: GleanErrorCode, retryAfterMs?: number): GleanError {
  return new GleanError(code, `HTTP ${status}`, { status, retryAfterMs });
}

describe('parseRetryAfter', () => {
  const cases: Array<[string, Record<string, string>, number | undefined]> = [
    ['delta-seconds', { 'Retry-After': '120' }, 120_000],
    ['zero seconds', { 'Retry-After': '0' }, 0],
    ['seconds with spaces around', { 'Retry-After': ' 5 ' }, 5_000],
    ['IMF-fixdate in the future', { 'Retry-After': 'Wed, 21 Oct 2015 07:28:30 GMT' }, 30_000],
    ['RFC 850 date', { 'Retry-After': 'Wednesday, 21-Oct-15 07:29:00 GMT' }, 60_000],
    ['asctime date, GMT by definition', { 'Retry-After': 'Wed Oct 21 07:28:10 2015' }, 10_000],
    ['a date in the past means now', { 'Retry-After': 'Tue, 20 Oct 2015 07:28:00 GMT' }, 0],
    ['retry-after-ms', { 'retry-after-ms': '1500' }, 1_500],
    ['retry-after-ms wins over Retry-After', { 'retry-after-ms': '250', 'Retry-After': '10' }, 250],
    ['fractional retry-after-ms rounds up', { 'retry-after-ms': '0.4' }, 1],
    ['garbage retry-after-ms falls back to Retry-After', { 'retry-after-ms': 'soon', 'Retry-After': '3' }, 3_000],
    ['negative retry-after-ms falls back', { 'retry-after-ms': '-1', 'Retry-After': '2' }, 2_000],
    ['no header', {}, undefined],
    ['empty', { 'Retry-After': '' }, undefined],
    ['words', { 'Retry-After': 'soon' }, undefined],
    ['negative seconds', { 'Retry-After': '-5' }, undefined],
    ['fractional seconds', { 'Retry-After': '1.5' }, undefined],
    ['a large number is still delta-seconds', { 'Retry-After': '2024' }, 2_024_000],
    ['a day name with nonsense', { 'Retry-After': 'Wed, banana' }, undefined],
  ];
  for (const [name, headers, expected] of cases) {
    it(name, () => assert.equal(parseRetryAfter(new Headers(headers), NOW), expected));
  }
});

describe('GleanError.retryable: the policy table', () => {
  const statuses: Array<[number, GleanErrorCode, boolean]> = [
    [400, 'bad-request', false],
    [401, 'unauthorized', false],
    [403, 'forbidden', false],
    [404, 'not-found', false],
    [408, 'timeout', true],
    [413, 'too-large', false],
    [429, 'rate-limited', true],
    [500, 'server-error', true],
    [501, 'server-error', false],
    [502, 'server-error', true],
    [503, 'server-error', true],
    [504, 'server-error', true],
    [505, 'server-error', false],
    [418, 'http', false],
  ];
  for (const [status, code, retryable] of statuses) {
    it(`HTTP ${status} is ${retryable ? '' : 'not '}retried`, () => {
      assert.equal(httpError(status, code).retryable, retryable);
    });
  }

  const codes: Array<[GleanErrorCode, boolean]> = [
    ['unreachable', true],
    ['timeout', true],
    ['bad-response', false],
    ['aborted', false],
    ['not-configured', false],
    ['no-access', false],
    ['bad-request', false],
  ];
  for (const [code, retryable] of codes) {
    it(`${code} without a status is ${retryable ? '' : 'not '}retried`, () => {
      assert.equal(new GleanError(code, code).retryable, retryable);
    });
  }

  it('a bad-response that came with a 200 is not retried', () => {
    assert.equal(new GleanError('bad-response', 'html', { status: 200 }).retryable, false);
  });
});

describe('decideRetry', () => {
  const policy: RetryPolicy = {
    maxAttempts: 10,
    initialDelayMs: 100,
    multiplier: 2,
    maxDelayMs: 1_000,
    budgetMs: 1_000_000,
    jitterMs: 50,
  };
  const unavailable = httpError(503, 'server-error');

  it('grows exponentially and stops growing at maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => {
      return decideRetry(policy, { attempt, elapsedMs: 0, error: unavailable }, () => 0);
    });
    assert.deepEqual(delays, [100, 200, 400, 800, 1_000, 1_000]);
  });

  it('adds jitter within [0, jitterMs), never past maxDelayMs', () => {
    for (const random of [0, 0.25, 0.5, 0.999999]) {
      for (let attempt = 1; attempt <= 6; attempt++) {
        const base = Math.min(policy.maxDelayMs, 100 * 2 ** (attempt - 1));
        const delayMs = decideRetry(policy, { attempt, elapsedMs: 0, error: unavailable }, () => random) ?? -1;
        assert.ok(delayMs >= base, `attempt ${attempt}: ${delayMs} < ${base}`);
        assert.ok(delayMs <= Math.min(policy.maxDelayMs, base + policy.jitterMs));
      }
    }
    const half = decideRetry(policy, { attempt: 2, elapsedMs: 0, error: unavailable }, () => 0.5);
    assert.equal(half, 225);
  });

  it('does not retry what will fail again', () => {
    assert.equal(decideRetry(policy, { attempt: 1, elapsedMs: 0, error: httpError(401, 'unauthorized') }, () => 0), undefined);
  });

  it('stops after maxAttempts', () => {
    const limited = httpError(429, 'rate-limited', 5_000);
    assert.equal(decideRetry(LOOKUP_RETRY, { attempt: 3, elapsedMs: 0, error: limited }, () => 0), undefined);
    assert.equal(decideRetry(LOOKUP_RETRY, { attempt: 3, elapsedMs: 0, error: unavailable }, () => 0), undefined);
  });

  it('lets a Retry-After win over backoff, even past maxDelayMs', () => {
    assert.equal(decideRetry(UPLOAD_RETRY, { attempt: 1, elapsedMs: 0, error: httpError(429, 'rate-limited', 7_000) }, () => 0.9), 7_000);
    assert.equal(decideRetry(UPLOAD_RETRY, { attempt: 1, elapsedMs: 0, error: httpError(503, 'server-error', 120_000) }, () => 0), 120_000);
  });

  it('stops when Retry-After would take us past the budget', () => {
    assert.equal(decideRetry(LOOKUP_RETRY, { attempt: 1, elapsedMs: 0, error: httpError(429, 'rate-limited', 30_000) }, () => 0), undefined);
  });

  it('stops when the backoff would end past the budget', () => {
    assert.equal(decideRetry(LOOKUP_RETRY, { attempt: 1, elapsedMs: 9_800, error: unavailable }, () => 0), undefined);
    assert.equal(decideRetry(LOOKUP_RETRY, { attempt: 1, elapsedMs: 9_500, error: unavailable }, () => 0), 500);
  });
});

describe('the default policies', () => {
  it('keep a lookup’s worst-case waiting well inside its budget', () => {
    let waited = 0;
    for (let attempt = 1; attempt < LOOKUP_RETRY.maxAttempts; attempt++) {
      const delayMs = decideRetry(LOOKUP_RETRY, { attempt, elapsedMs: waited, error: httpError(503, 'server-error') }, () => 0.999);
      assert.ok(delayMs !== undefined);
      waited += delayMs;
    }
    assert.ok(waited <= LOOKUP_RETRY.budgetMs / 2, `${waited} ms of waiting`);
  });

  it('give uploads the SDKs’ ceilings: 60 s max interval, 1 h max elapsed, 1 s jitter', () => {
    assert.equal(UPLOAD_RETRY.maxDelayMs, 60_000);
    assert.equal(UPLOAD_RETRY.budgetMs, 3_600_000);
    assert.equal(UPLOAD_RETRY.jitterMs, 1_000);
    assert.ok(LOOKUP_RETRY.jitterMs < UPLOAD_RETRY.jitterMs);
  });
});

describe('retrying', () => {
  const noJitter = (): number => 0;

  it('retries retryable failures with growing waits, then returns the value', async () => {
    const clock = fakeClock();
    const failures = [httpError(503, 'server-error'), new GleanError('unreachable', 'offline')];
    const seen: number[] = [];
    const result = await retrying(
      LOOKUP_RETRY,
      async (n) => {
        seen.push(n);
        const failure = failures.shift();
        if (failure) throw failure;
        return 'image';
      },
      { ...clock, random: noJitter },
    );
    assert.equal(result, 'image');
    assert.deepEqual(seen, [1, 2, 3]);
    assert.deepEqual(clock.sleeps, [500, 1_000]);
  });

  it('throws a non-retryable failure at once, unchanged', async () => {
    const clock = fakeClock();
    const rejected = httpError(401, 'unauthorized');
    let attempts = 0;
    await assert.rejects(
      retrying(LOOKUP_RETRY, async () => {
        attempts++;
        throw rejected;
      }, { ...clock, random: noJitter }),
      (e) => e === rejected,
    );
    assert.equal(attempts, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('gives up after maxAttempts with the last failure', async () => {
    const clock = fakeClock();
    let attempts = 0;
    await assert.rejects(
      retrying(LOOKUP_RETRY, async (n) => {
        attempts++;
        throw new GleanError('server-error', `try ${n}`, { status: 502 });
      }, { ...clock, random: noJitter }),
      (e) => e instanceof GleanError && e.message === 'try 3',
    );
    assert.equal(attempts, 3);
  });

  it('waits as long as the server asked', async () => {
    const clock = fakeClock();
    let attempts = 0;
    await retrying(UPLOAD_RETRY, async () => {
      if (attempts++ === 0) throw httpError(429, 'rate-limited', 42_000);
      return 'stored';
    }, { ...clock, random: noJitter });
    assert.deepEqual(clock.sleeps, [42_000]);
  });

  it('stops when slow attempts use up the budget', async () => {
    const clock = fakeClock();
    let attempts = 0;
    await assert.rejects(
      retrying(LOOKUP_RETRY, async () => {
        attempts++;
        clock.advance(6_000);
        throw new GleanError('timeout', 'slow');
      }, { ...clock, random: noJitter }),
      (e) => e instanceof GleanError && e.code === 'timeout',
    );
    // 6 s + 0.5 s wait fits in 10 s; after the second attempt (12.5 s) nothing does.
    assert.equal(attempts, 2);
  });

  it('stops at once, as aborted, when the signal aborts during a wait', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let attempts = 0;
    const neverEnding = deferred<void>();
    const run = retrying(LOOKUP_RETRY, async () => {
      attempts++;
      throw httpError(503, 'server-error');
    }, { now: clock.now, sleep: () => neverEnding.promise, random: noJitter, signal: controller.signal });
    await settle();
    controller.abort();
    await assert.rejects(run, (e) => e instanceof GleanError && e.code === 'aborted');
    assert.equal(attempts, 1);
  });

  it('stops at once when the signal aborts during an attempt that ignores it', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const hanging = deferred<string>();
    const run = retrying(LOOKUP_RETRY, () => hanging.promise, { ...clock, random: noJitter, signal: controller.signal });
    await settle();
    controller.abort();
    await assert.rejects(run, (e) => e instanceof GleanError && e.code === 'aborted');
  });

  it('does not start when the signal is already aborted', async () => {
    const clock = fakeClock();
    let attempts = 0;
    await assert.rejects(
      retrying(LOOKUP_RETRY, async () => {
        attempts++;
        return 'x';
      }, { ...clock, random: noJitter, signal: AbortSignal.abort() }),
      (e) => e instanceof GleanError && e.code === 'aborted',
    );
    assert.equal(attempts, 0);
  });

  it('rethrows anything that is not a GleanError without retrying (a bug is not a Glean failure)', async () => {
    const clock = fakeClock();
    const bug = new RangeError('bug');
    let attempts = 0;
    await assert.rejects(
      retrying(LOOKUP_RETRY, async () => {
        attempts++;
        throw bug;
      }, { ...clock, random: noJitter }),
      (e) => e === bug,
    );
    assert.equal(attempts, 1);
  });
});

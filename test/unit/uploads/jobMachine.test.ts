import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GleanError, type GleanErrorCode } from '../../../src/glean/gleanError.ts';
import { UPLOAD_RETRY } from '../../../src/glean/retryPolicy.ts';
import type { ReplyError } from '../../../src/shared/messages.ts';
import { UPLOAD_JOB_VERSION, stateWords, type JobBinding, type JobState, type UploadJob } from '../../../src/shared/uploadJob.ts';
import {
  HISTORY_LIMIT,
  attemptFailed,
  canResume,
  canRetry,
  createJob,
  dueJobs,
  failNow,
  interrupted,
  isUnfinished,
  jobsToPrune,
  nextWakeUp,
  retryJob,
  startAttempt,
  succeed,
  waitFor,
  whyNotNow,
  type NewJob,
} from '../../../src/worker/uploads/jobMachine.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');

const NEW_JOB: NewJob = {
  id: 'job-0001',
  metadata: { type: 'UGC', id: 'img-1', ds: 'wiki', cid: 'page-9' },
  fileName: 'cat.png',
  contentType: 'image/png',
  size: 1234,
  origin: 'popup',
};

/** Every transition must return a new record: a frozen input makes any mutation throw. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function job(overrides: Partial<UploadJob> = {}): UploadJob {
  return deepFreeze({ ...createJob(NEW_JOB, T0), ...overrides });
}

interface DescribeCall {
  error: GleanError;
  willRetry: boolean;
  retryInMs: number | undefined;
}

/** A describe() that records its arguments and says them back, so the stored message shows them. */
function recordingDescribe() {
  const calls: DescribeCall[] = [];
  const describeError = (error: GleanError, willRetry: boolean, retryInMs?: number): string => {
    calls.push({ error, willRetry, retryInMs });
    return `${error.code}|${willRetry ? 'retry' : 'final'}|${retryInMs ?? '-'}`;
  };
  return { calls, describe: describeError };
}

function httpError(status: number, code: GleanErrorCode, retryAfterMs?: number): GleanError {
  return new GleanError(code, `HTTP ${status}`, { status, retryAfterMs });
}

const zero = (): number => 0;

/** Whose credential requests use: two people on one server, and the first on another server. */
const A: JobBinding = { server: 'https://acme-prod-be.glean.com', identity: 'identity-a' };
const B: JobBinding = { server: 'https://acme-prod-be.glean.com', identity: 'identity-b' };
const A_ELSEWHERE: JobBinding = { server: 'https://other-be.glean.com', identity: 'identity-a' };

describe('createJob', () => {
  it('is queued, due now, with no attempts, error or result yet', () => {
    const created = createJob(NEW_JOB, T0);
    assert.deepEqual(created, {
      version: UPLOAD_JOB_VERSION,
      ...NEW_JOB,
      state: 'queued',
      attempts: 0,
      nextAttemptAt: T0,
      startedAt: T0,
      lastError: null,
      result: null,
      createdAt: T0,
      updatedAt: T0,
    });
  });

  it('cannot be told a state by its input', () => {
    const sneaky = { ...NEW_JOB, state: 'uploaded', attempts: 5 } as NewJob;
    const created = createJob(sneaky, T0);
    assert.equal(created.state, 'queued');
    assert.equal(created.attempts, 0);
  });
});

describe('startAttempt', () => {
  it('moves queued → uploading, counts the attempt and clears the wait', () => {
    const queued = job({ attempts: 2, nextAttemptAt: T0 + 5 });
    const started = startAttempt(queued, A, T0 + 10);
    assert.equal(started.state, 'uploading');
    assert.deepEqual(started.boundTo, A, 'bound to whose credential it is first sent with');
    assert.equal(started.attempts, 3);
    assert.equal(started.nextAttemptAt, null);
    assert.equal(started.updatedAt, T0 + 10);
    assert.equal(started.startedAt, T0, 'the retry budget keeps counting from the first attempt');
    assert.equal(started.createdAt, T0);
    assert.equal(queued.state, 'queued', 'the input is untouched');
  });

  it('keeps the binding of the first attempt on every later one', () => {
    const again = startAttempt(job({ boundTo: A, attempts: 1 }), B, T0 + 10);
    assert.deepEqual(again.boundTo, A);
  });
});

describe('whyNotNow', () => {
  it('a job is sent only with the credential it is bound to; an unbound one with any', () => {
    assert.equal(whyNotNow(job(), A), null);
    assert.equal(whyNotNow(job({ boundTo: A }), A), null);
    assert.equal(whyNotNow(job({ boundTo: A }), { ...A }), null, 'compared by value');
    assert.equal(whyNotNow(job({ boundTo: A }), B), 'identity');
    assert.equal(whyNotNow(job({ boundTo: A }), A_ELSEWHERE), 'identity', 'the same identity on another server is another binding');
  });

  it('with no credential at all, any job waits for a sign-in', () => {
    assert.equal(whyNotNow(job(), null), 'sign-in');
    assert.equal(whyNotNow(job({ boundTo: A }), null), 'sign-in');
  });
});

describe('waitFor, canResume, canRetry', () => {
  it('a waiting job is unfinished, not due, and says why in its error and its state words', () => {
    const waiting = waitFor(job({ state: 'uploading', boundTo: A, attempts: 1, nextAttemptAt: null }), 'sign-in', 'Waiting for you to sign in.', T0 + 5);
    assert.equal(waiting.state, 'waiting');
    assert.equal(waiting.waitingFor, 'sign-in');
    assert.equal(waiting.nextAttemptAt, null);
    assert.deepEqual(waiting.lastError, { code: 'sign-in-needed', message: 'Waiting for you to sign in.' });
    assert.equal(waiting.updatedAt, T0 + 5);
    assert.equal(isUnfinished(waiting), true);
    assert.deepEqual(dueJobs([waiting], T0 + 1_000_000, 2), []);
    assert.equal(nextWakeUp([waiting]), null, 'nothing to wake up for: a sign-in starts it');
    assert.equal(stateWords(waiting), 'jobStateWaitingForSignIn');

    const other = waitFor(job({ boundTo: A }), 'identity', 'Started as someone else.', T0 + 5);
    assert.equal(other.lastError?.code, 'refused');
    assert.equal(stateWords(other), 'jobStateWaitingForIdentity');
  });

  it('a job waiting for sign-in goes on by itself once its own credential is back, and only then', () => {
    const waiting = waitFor(job({ boundTo: A }), 'sign-in', 'w', T0);
    assert.equal(canResume(waiting, null), false);
    assert.equal(canResume(waiting, B), false, 'someone else signing in does not send it');
    assert.equal(canResume(waiting, A), true);
    const unbound = waitFor(job(), 'sign-in', 'w', T0);
    assert.equal(canResume(unbound, B), true, 'never sent: anyone’s credential will do');
  });

  it('a job waiting for its identity goes on only when the person presses Retry, which rebinds it', () => {
    const waiting = waitFor(job({ boundTo: A }), 'identity', 'w', T0);
    assert.equal(canResume(waiting, B), false);
    assert.equal(canResume(waiting, A), false, 'only a sign-in wait resumes by itself');
    assert.equal(canRetry(waiting), true);
    const retried = retryJob(waiting, T0 + 1);
    assert.equal(retried.state, 'queued');
    assert.equal(retried.boundTo, undefined, 'Retry forgets the old binding');
    assert.equal(retried.waitingFor, undefined);
    assert.deepEqual(startAttempt(retried, B, T0 + 2).boundTo, B);
  });

  it('Retry is offered for failed and waiting jobs only', () => {
    const offered = (['queued', 'uploading', 'uploaded', 'failed', 'waiting'] as const).filter((state) => canRetry(job({ state })));
    assert.deepEqual(offered, ['failed', 'waiting']);
  });

  it('interrupted() puts a waiting job back in the queue, forgetting why it waited', () => {
    const back = interrupted(waitFor(job({ boundTo: A }), 'sign-in', 'w', T0), T0 + 3);
    assert.equal(back.state, 'queued');
    assert.equal(back.waitingFor, undefined);
    assert.equal(back.nextAttemptAt, T0 + 3);
    assert.deepEqual(back.boundTo, A, 'it stays bound');
  });
});

describe('succeed', () => {
  it('moves uploading → uploaded with the result, forgetting the error of an earlier attempt', () => {
    const previous: ReplyError = { code: 'server-error', message: 'Glean had a problem; trying again.', status: 503 };
    const uploading = job({ state: 'uploading', attempts: 2, nextAttemptAt: null, lastError: previous });
    const result = { url: 'https://glean.example/images/abc', key: 'abc' };
    const done = succeed(uploading, result, T0 + 50);
    assert.equal(done.state, 'uploaded');
    assert.deepEqual(done.result, result);
    assert.equal(done.lastError, null);
    assert.equal(done.nextAttemptAt, null);
    assert.equal(done.attempts, 2);
    assert.equal(done.updatedAt, T0 + 50);
    assert.equal(isUnfinished(done), false);
  });
});

describe('attemptFailed', () => {
  /** A job in its n-th attempt, begun `elapsed` ms ago. */
  const inAttempt = (n: number, now: number, elapsed = 0): UploadJob =>
    job({ state: 'uploading', attempts: n, nextAttemptAt: null, startedAt: now - elapsed });

  describe('a retryable failure queues the job again after the policy’s wait', () => {
    const now = T0 + 1_000;
    const cases: Array<[string, GleanError, ReplyError['code'], number | undefined]> = [
      ['503', httpError(503, 'server-error'), 'server-error', 503],
      ['500', httpError(500, 'server-error'), 'server-error', 500],
      ['429 without Retry-After', httpError(429, 'rate-limited'), 'rate-limited', 429],
      ['unreachable', new GleanError('unreachable', 'Could not reach Glean.'), 'unreachable', undefined],
      ['timeout', new GleanError('timeout', 'Glean did not answer in time.'), 'timeout', undefined],
    ];
    for (const [name, error, code, status] of cases) {
      it(name, () => {
        const { calls, describe: describeError } = recordingDescribe();
        const failed = attemptFailed(inAttempt(1, now), error, describeError, UPLOAD_RETRY, now, zero);
        // First retry with no jitter: exactly the initial delay.
        assert.equal(failed.state, 'queued');
        assert.equal(failed.nextAttemptAt, now + UPLOAD_RETRY.initialDelayMs);
        assert.equal(failed.attempts, 1, 'attempts are counted by startAttempt, not here');
        assert.equal(failed.updatedAt, now);
        assert.deepEqual(calls, [{ error, willRetry: true, retryInMs: UPLOAD_RETRY.initialDelayMs }]);
        const expected: ReplyError = { code, message: `${code}|retry|${UPLOAD_RETRY.initialDelayMs}` };
        if (status !== undefined) expected.status = status;
        assert.deepEqual(failed.lastError, expected);
        assert.equal(isUnfinished(failed), true);
      });
    }
  });

  it('backs off exponentially with jitter: attempt 3 waits 4 s plus up to 1 s', () => {
    const now = T0 + 20_000;
    const { describe: describeError } = recordingDescribe();
    const failed = attemptFailed(inAttempt(3, now, 7_000), httpError(503, 'server-error'), describeError, UPLOAD_RETRY, now, () => 0.5);
    assert.equal(failed.nextAttemptAt, now + 4_000 + 500);
  });

  it('never waits longer than the max interval between backoff attempts', () => {
    const now = T0 + 200_000;
    const { describe: describeError } = recordingDescribe();
    const failed = attemptFailed(inAttempt(7, now, 100_000), new GleanError('unreachable', 'x'), describeError, UPLOAD_RETRY, now, () => 0.99);
    assert.equal(failed.state, 'queued');
    assert.equal(failed.nextAttemptAt, now + UPLOAD_RETRY.maxDelayMs);
  });

  it('honours a 429’s Retry-After, even beyond the max interval', () => {
    const now = T0 + 3_000;
    const { calls, describe: describeError } = recordingDescribe();
    const error = httpError(429, 'rate-limited', 120_000);
    const failed = attemptFailed(inAttempt(1, now), error, describeError, UPLOAD_RETRY, now, () => 0.9);
    assert.equal(failed.state, 'queued');
    assert.equal(failed.nextAttemptAt, now + 120_000, 'no jitter, no cap: the server said when');
    assert.deepEqual(calls, [{ error, willRetry: true, retryInMs: 120_000 }]);
    assert.deepEqual(failed.lastError, { code: 'rate-limited', status: 429, message: 'rate-limited|retry|120000' });
  });

  describe('a permanent failure fails the job with the reason, no wait', () => {
    const cases: Array<[number, GleanErrorCode]> = [
      [400, 'bad-request'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not-found'],
    ];
    for (const [status, code] of cases) {
      it(`${status}`, () => {
        const now = T0 + 1_000;
        const { calls, describe: describeError } = recordingDescribe();
        const error = httpError(status, code);
        const failed = attemptFailed(inAttempt(1, now), error, describeError, UPLOAD_RETRY, now, zero);
        assert.equal(failed.state, 'failed');
        assert.equal(failed.nextAttemptAt, null);
        assert.equal(failed.updatedAt, now);
        assert.deepEqual(calls, [{ error, willRetry: false, retryInMs: undefined }]);
        assert.deepEqual(failed.lastError, { code, status, message: `${code}|final|-` });
        assert.equal(isUnfinished(failed), false);
      });
    }

    it('an answer that was not what Glean promises (no status)', () => {
      const { describe: describeError } = recordingDescribe();
      const failed = attemptFailed(inAttempt(1, T0), new GleanError('bad-response', 'Not JSON'), describeError, UPLOAD_RETRY, T0, zero);
      assert.equal(failed.state, 'failed');
      assert.deepEqual(failed.lastError, { code: 'bad-response', message: 'bad-response|final|-' });
    });
  });

  it('fails once the attempts are used up (and not one attempt earlier)', () => {
    const now = T0 + 200_000;
    const { calls, describe: describeError } = recordingDescribe();
    const error = httpError(503, 'server-error');
    const last = attemptFailed(inAttempt(UPLOAD_RETRY.maxAttempts, now, 150_000), error, describeError, UPLOAD_RETRY, now, zero);
    assert.equal(last.state, 'failed');
    assert.equal(last.nextAttemptAt, null);
    assert.deepEqual(calls.at(-1), { error, willRetry: false, retryInMs: undefined });
    const beforeLast = attemptFailed(inAttempt(UPLOAD_RETRY.maxAttempts - 1, now, 150_000), error, describeError, UPLOAD_RETRY, now, zero);
    assert.equal(beforeLast.state, 'queued');
  });

  it('fails when the wait would end past the budget, counted from startedAt', () => {
    const now = T0 + UPLOAD_RETRY.budgetMs;
    const { describe: describeError } = recordingDescribe();
    const error = httpError(429, 'rate-limited', 10_000);
    // Started exactly budget - 10 s ago: the retry lands on the budget's last millisecond.
    const justFits = attemptFailed(inAttempt(2, now, UPLOAD_RETRY.budgetMs - 10_000), error, describeError, UPLOAD_RETRY, now, zero);
    assert.equal(justFits.state, 'queued');
    assert.equal(justFits.nextAttemptAt, now + 10_000);
    const over = attemptFailed(inAttempt(2, now, UPLOAD_RETRY.budgetMs - 9_999), error, describeError, UPLOAD_RETRY, now, zero);
    assert.equal(over.state, 'failed');
    assert.equal(over.nextAttemptAt, null);
  });

  it('fails when even a backoff wait would overrun the budget', () => {
    const now = T0 + UPLOAD_RETRY.budgetMs;
    const { describe: describeError } = recordingDescribe();
    const failed = attemptFailed(inAttempt(1, now, UPLOAD_RETRY.budgetMs - 500), new GleanError('timeout', 'slow'), describeError, UPLOAD_RETRY, now, zero);
    assert.equal(failed.state, 'failed');
  });

  it('turns a stray non-Glean error into a permanent failure rather than throwing', () => {
    const { describe: describeError } = recordingDescribe();
    const failed = attemptFailed(inAttempt(1, T0), new GleanError('http', 'TypeError: boom'), describeError, UPLOAD_RETRY, T0, zero);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.lastError?.code, 'http');
  });
});

describe('failNow', () => {
  it('fails the job at once with the given error', () => {
    const error: ReplyError = { code: 'invalid-input', message: 'The image’s bytes are no longer stored.' };
    const failed = failNow(job({ state: 'uploading', attempts: 1, nextAttemptAt: null }), error, T0 + 7);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.nextAttemptAt, null);
    assert.deepEqual(failed.lastError, error);
    assert.equal(failed.updatedAt, T0 + 7);
  });
});

describe('retryJob', () => {
  it('queues a failed job due now with fresh attempts and a fresh budget', () => {
    const failed = job({
      state: 'failed',
      attempts: UPLOAD_RETRY.maxAttempts,
      nextAttemptAt: null,
      startedAt: T0,
      lastError: { code: 'server-error', message: 'Glean had a problem.', status: 503 },
    });
    const later = T0 + 2 * UPLOAD_RETRY.budgetMs;
    const retried = retryJob(failed, later);
    assert.equal(retried.state, 'queued');
    assert.equal(retried.attempts, 0);
    assert.equal(retried.nextAttemptAt, later);
    assert.equal(retried.startedAt, later);
    assert.equal(retried.lastError, null);
    assert.equal(retried.updatedAt, later);
    assert.equal(retried.createdAt, T0, 'it keeps its place in the history');

    // And the fresh run really has its attempts and budget back: the next failure is retried.
    const { describe: describeError } = recordingDescribe();
    const attempt = startAttempt(retried, A, later + 1);
    const again = attemptFailed(attempt, httpError(503, 'server-error'), describeError, UPLOAD_RETRY, later + 2, zero);
    assert.equal(again.state, 'queued');
    assert.equal(again.nextAttemptAt, later + 2 + UPLOAD_RETRY.initialDelayMs);
  });
});

describe('interrupted', () => {
  it('puts a job a stopped worker left uploading back in the queue, due now', () => {
    const uploading = job({ state: 'uploading', attempts: 3, nextAttemptAt: null });
    const back = interrupted(uploading, T0 + 99);
    assert.equal(back.state, 'queued');
    assert.equal(back.nextAttemptAt, T0 + 99);
    assert.equal(back.updatedAt, T0 + 99);
    // The lost attempt still counts: an upload that keeps killing the worker cannot loop forever.
    assert.equal(back.attempts, 3);
    assert.equal(back.startedAt, T0);
  });
});

describe('isUnfinished', () => {
  const cases: Array<[JobState, boolean]> = [
    ['queued', true],
    ['uploading', true],
    ['uploaded', false],
    ['failed', false],
    ['waiting', true],
  ];
  for (const [state, unfinished] of cases) {
    it(`${state} → ${unfinished}`, () => assert.equal(isUnfinished(job({ state })), unfinished));
  }
});

describe('dueJobs', () => {
  const now = T0 + 10_000;
  const at = (id: string, createdAt: number, state: JobState, nextAttemptAt: number | null): UploadJob =>
    job({ id, createdAt, state, nextAttemptAt });

  const jobs = [
    at('c-due', T0 + 3, 'queued', now - 1),
    at('future', T0 + 0, 'queued', now + 1),
    at('a-due', T0 + 1, 'queued', now), // due exactly now
    at('uploading', T0 - 10, 'uploading', null),
    at('failed', T0 - 9, 'failed', null),
    at('uploaded', T0 - 8, 'uploaded', null),
    at('no-time', T0 - 7, 'queued', null),
    at('b-due', T0 + 2, 'queued', T0),
  ];

  it('picks only queued jobs whose time has come, oldest first', () => {
    assert.deepEqual(
      dueJobs(jobs, now, 10).map((j) => j.id),
      ['a-due', 'b-due', 'c-due'],
    );
  });

  it('leaves room for at most `slots` uploads', () => {
    assert.deepEqual(dueJobs(jobs, now, 2).map((j) => j.id), ['a-due', 'b-due']);
    assert.deepEqual(dueJobs(jobs, now, 1).map((j) => j.id), ['a-due']);
    assert.deepEqual(dueJobs(jobs, now, 0), []);
    assert.deepEqual(dueJobs(jobs, now, -1), [], 'more running than allowed starts nothing');
  });

  it('does not reorder its input', () => {
    const before = jobs.map((j) => j.id);
    dueJobs(jobs, now, 10);
    assert.deepEqual(jobs.map((j) => j.id), before);
  });
});

describe('nextWakeUp', () => {
  it('is the earliest time a queued job waits for', () => {
    const jobs = [
      job({ id: 'a', state: 'queued', nextAttemptAt: T0 + 5_000 }),
      job({ id: 'b', state: 'queued', nextAttemptAt: T0 + 2_000 }),
      job({ id: 'c', state: 'queued', nextAttemptAt: T0 + 9_000 }),
      job({ id: 'd', state: 'uploading', nextAttemptAt: T0 + 1 }), // not waiting, whatever it says
      job({ id: 'e', state: 'failed', nextAttemptAt: null }),
    ];
    assert.equal(nextWakeUp(jobs), T0 + 2_000);
  });

  it('is null when nothing waits', () => {
    assert.equal(nextWakeUp([]), null);
    assert.equal(
      nextWakeUp([
        job({ state: 'uploaded', nextAttemptAt: null }),
        job({ state: 'failed', nextAttemptAt: null }),
        job({ state: 'uploading', nextAttemptAt: null }),
      ]),
      null,
    );
  });
});

describe('jobsToPrune', () => {
  /** `count` jobs created one ms apart from `from`, with ids `${prefix}${n}`. */
  const many = (count: number, from: number, state: JobState, prefix: string): UploadJob[] =>
    Array.from({ length: count }, (_, n) => job({ id: `${prefix}${n}`, createdAt: from + n, state, nextAttemptAt: null }));

  /** Fisher-Yates with a fixed seed: the store returns jobs in no promised order. */
  function shuffled<T>(items: T[]): T[] {
    const out = [...items];
    let seed = 42;
    for (let i = out.length - 1; i > 0; i--) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const j = seed % (i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  it('keeps the newest 100', () => {
    assert.equal(HISTORY_LIMIT, 100);
    const jobs = many(105, T0, 'uploaded', 'u');
    assert.deepEqual(
      jobsToPrune(shuffled(jobs)).map((j) => j.id).sort(),
      ['u0', 'u1', 'u2', 'u3', 'u4'],
    );
  });

  it('prunes nothing at or under the limit', () => {
    assert.deepEqual(jobsToPrune(many(HISTORY_LIMIT, T0, 'failed', 'f')), []);
    assert.deepEqual(jobsToPrune([]), []);
  });

  it('never prunes an unfinished job, however old', () => {
    const jobs = [
      ...many(HISTORY_LIMIT, T0 + 1_000, 'uploaded', 'new'),
      job({ id: 'old-queued', createdAt: T0, state: 'queued' }),
      job({ id: 'old-uploading', createdAt: T0 + 1, state: 'uploading', nextAttemptAt: null }),
      job({ id: 'old-failed', createdAt: T0 + 2, state: 'failed', nextAttemptAt: null }),
      job({ id: 'old-uploaded', createdAt: T0 + 3, state: 'uploaded', nextAttemptAt: null }),
    ];
    assert.deepEqual(
      jobsToPrune(shuffled(jobs)).map((j) => j.id).sort(),
      ['old-failed', 'old-uploaded'],
    );
  });

  it('keeps everything when the unfinished jobs alone exceed the limit', () => {
    const jobs = [...many(HISTORY_LIMIT + 20, T0, 'queued', 'q')];
    assert.deepEqual(jobsToPrune(jobs), []);
  });
});

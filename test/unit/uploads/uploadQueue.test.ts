import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { GleanError } from '../../../src/glean/gleanError.ts';
import { deferred, type Deferred } from '../glean/fakes.ts';
import { UPLOAD_RETRY } from '../../../src/glean/retryPolicy.ts';
import type { JobBinding, UploadJob, UploadResult } from '../../../src/shared/uploadJob.ts';
import { createJob, waitFor, type NewJob } from '../../../src/worker/uploads/jobMachine.ts';
import { MAX_CONCURRENT_UPLOADS, RESCUE_AFTER_MS, createUploadQueue, type JobStore } from '../../../src/worker/uploads/uploadQueue.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');
/** Whose credential requests use (settings.ts `whose`): two people on one server. */
const A: JobBinding = { server: 'https://acme-prod-be.glean.com', identity: 'identity-a' };
const B: JobBinding = { server: 'https://acme-prod-be.glean.com', identity: 'identity-b' };
/** Each test fails rather than hangs if an awaited event never comes. */
const LIMIT = { timeout: 5_000 };

/** Lets a test look at the queue from inside: every fake reports here, and `until` re-checks on each report. */
class Events {
  private waiters: Array<{ ready: () => boolean; resolve: () => void }> = [];

  notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.ready()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves as soon as `ready()` holds: now, or after one of the fakes reports something. */
  until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }
}

type StoreOp = 'listJobs' | 'readJob' | 'writeJob' | 'deleteJob' | 'readBlob' | 'deleteBlob';

/**
 * IndexedDB in Maps. As with IndexedDB, each operation takes effect (or takes its snapshot) when it
 * is called, in call order, and values go in and out as copies; the answer arrives later. `pause`
 * can hold an answer back, to put a test's own step between an operation and its answer.
 */
class MemoryJobStore implements JobStore {
  readonly jobs = new Map<string, UploadJob>();
  readonly blobs = new Map<string, Blob>();
  pause: (op: StoreOp, arg: string | UploadJob) => Promise<void> | undefined = () => undefined;

  constructor(private readonly events: Events) {}

  private async answer<T>(op: StoreOp, arg: string | UploadJob, value: T): Promise<T> {
    await this.pause(op, arg);
    this.events.notify();
    return value;
  }

  listJobs(): Promise<UploadJob[]> {
    const all = [...this.jobs.values()].map((job) => structuredClone(job));
    return this.answer('listJobs', '', all.sort((a, b) => b.createdAt - a.createdAt));
  }

  readJob(id: string): Promise<UploadJob | undefined> {
    const job = this.jobs.get(id);
    return this.answer('readJob', id, job && structuredClone(job));
  }

  writeJob(job: UploadJob): Promise<void> {
    this.jobs.set(job.id, structuredClone(job));
    return this.answer('writeJob', job, undefined);
  }

  deleteJob(id: string): Promise<void> {
    this.jobs.delete(id);
    return this.answer('deleteJob', id, undefined);
  }

  readBlob(id: string): Promise<Blob | undefined> {
    // A Blob is immutable; IndexedDB hands back an equal one.
    return this.answer('readBlob', id, this.blobs.get(id));
  }

  deleteBlob(id: string): Promise<void> {
    this.blobs.delete(id);
    return this.answer('deleteBlob', id, undefined);
  }

  state(id: string): UploadJob['state'] | undefined {
    return this.jobs.get(id)?.state;
  }
}

/** One call of the fake upload, answered by the test. Like fetch, it rejects with an AbortError
 * once its signal aborts. */
interface UploadCall {
  blob: Blob;
  job: UploadJob;
  signal: AbortSignal;
  resolve: (result: UploadResult) => void;
  reject: (error: unknown) => void;
}

function setUp({ withJobs = [] as UploadJob[], withBlobs = [] as string[] } = {}) {
  const events = new Events();
  const store = new MemoryJobStore(events);
  for (const job of withJobs) store.jobs.set(job.id, structuredClone(job));
  for (const id of withBlobs) store.blobs.set(id, imageBlob(id));

  const clock = {
    time: T0,
    now: () => clock.time,
    random: () => 0,
    sleep: (): Promise<void> => Promise.reject(new Error('the queue must not sleep: it asks wakeAt')),
  };

  const uploads: UploadCall[] = [];
  const upload = (blob: Blob, job: UploadJob, signal: AbortSignal): Promise<UploadResult> => {
    const answer = deferred<UploadResult>();
    signal.addEventListener('abort', () => answer.reject(new DOMException('This operation was aborted', 'AbortError')), { once: true });
    uploads.push({ blob, job, signal, resolve: answer.resolve, reject: answer.reject });
    events.notify();
    return answer.promise;
  };

  const wakeAts: Array<number | null> = [];
  let awake = 0;
  let holds = 0;
  let changes = 0;
  let doubleReleases = 0;
  const finished: Array<{ job: UploadJob; blob: Blob | undefined }> = [];
  /** Set by a test to keep `finished` busy until it resolves this. */
  let finishing: Deferred<void> | undefined;

  /** Whose credential requests use now; a test changes it to sign someone else in, or out. */
  let who: JobBinding | null = A;

  const queue = createUploadQueue({
    store,
    who: async () => who,
    upload,
    describe: (error, willRetry, retryInMs) => `${error.code}/${error.status ?? '-'}/${willRetry ? `retry in ${retryInMs}` : 'final'}`,
    describeWait: (reason) => `waiting for ${reason}`,
    clock,
    wakeAt: (at) => {
      wakeAts.push(at);
      events.notify();
    },
    holdAwake: () => {
      awake++;
      holds++;
      events.notify();
      let released = false;
      return () => {
        if (released) doubleReleases++;
        released = true;
        awake--;
        events.notify();
      };
    },
    changed: () => {
      changes++;
      events.notify();
    },
    finished: async (job, blob) => {
      finished.push({ job: structuredClone(job), blob });
      events.notify();
      await finishing?.promise;
    },
  });

  const harness = {
    events,
    store,
    clock,
    queue,
    uploads,
    wakeAts,
    finished,
    get awake() {
      return awake;
    },
    /** How many runs were started (each holds the worker awake first thing). */
    get holds() {
      return holds;
    },
    get changes() {
      return changes;
    },
    /** Signs someone in (or, with null, everyone out): what `who()` answers from now on. */
    signInAs(next: JobBinding | null): void {
      who = next;
    },
    /** Keeps the next calls of `finished` busy until the test resolves the answer. */
    holdFinished(): Deferred<void> {
      finishing = deferred();
      return finishing;
    },
    releaseFinished(): void {
      finishing?.resolve();
      finishing = undefined;
    },
    until: (ready: () => boolean) => events.until(ready),
    /** The n-th upload call (0-based), once it has been made. */
    async upload(n: number): Promise<UploadCall> {
      await events.until(() => uploads.length > n);
      return uploads[n] as UploadCall;
    },
    /** Queues a job whose bytes the page has already stored, as startUpload does. */
    enqueue(id: string): Promise<UploadJob> {
      store.blobs.set(id, imageBlob(id));
      return queue.enqueue(newJob(id));
    },
    /**
     * Holds back the first store answer `when` picks and removes job `id` meanwhile, then lets the
     * answer through: the queue must not bring the job back. Resolves with the queue at rest.
     */
    async removeWhileHeld(id: string, when: (op: StoreOp, arg: string | UploadJob) => boolean, start: () => Promise<unknown> = async () => undefined): Promise<void> {
      const held = deferred();
      const released = deferred();
      store.pause = (op, arg) => {
        if (!when(op, arg)) return undefined;
        store.pause = () => undefined;
        held.resolve();
        return released.promise;
      };
      const started = start();
      await held.promise;
      const removing = queue.remove(id);
      released.resolve();
      await Promise.all([started, removing]);
      await harness.quiet();
      assert.deepEqual([...store.jobs.keys()], [], 'the removed job was written back');
      assert.equal(store.blobs.size, 0);
      assert.equal(finished.length, 0, 'a removed job is not announced');
    },
    /** No upload runs, and the pumps that ending runs asked for have ended: the queue is at rest. */
    async quiet(): Promise<void> {
      await events.until(() => awake === 0);
      // A run asks for a pump just after releasing the worker; pumps run one after another.
      await queue.pump();
      await queue.pump();
    },
  };
  cleanUps.push(async () => {
    for (const call of uploads) call.reject(new GleanError('aborted', 'test over'));
    harness.releaseFinished();
    await events.until(() => awake === 0);
    assert.equal(doubleReleases, 0, 'a hold on the worker was released twice');
  });
  return harness;
}

/** What each test's queue needs done when the test ends, however it ended. */
const cleanUps: Array<() => Promise<void>> = [];

/** The queue logs a run that threw ("upload job crashed"): no test may make one. */
let crashes: ReturnType<typeof mock.method>;
beforeEach(() => {
  crashes = mock.method(console, 'error', () => undefined);
});

/** No test may leave the worker held awake (a leaked hold would keep it alive forever). */
afterEach(
  async () => {
    for (const cleanUp of cleanUps.splice(0)) await cleanUp();
    const logged = crashes.mock.calls.map((call) => call.arguments);
    mock.restoreAll();
    assert.deepEqual(logged, [], 'an upload run crashed');
  },
  LIMIT,
);

/** Lets every step already set in motion run to its end (the fakes answer in microtasks; no time passes). */
async function everyStepQueuedSoFar(): Promise<void> {
  for (let turn = 0; turn < 1_000; turn++) await Promise.resolve();
}

function imageBlob(id: string): Blob {
  return new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), id], { type: 'image/png' });
}

function newJob(id: string): NewJob {
  return {
    id,
    metadata: { type: 'UGC', id: `img-${id}`, ds: 'wiki', cid: '' },
    fileName: `${id}.png`,
    contentType: 'image/png',
    size: 8 + id.length,
    origin: 'popup',
  };
}

const result = (id: string): UploadResult => ({ url: `https://glean.example/api/images/${id}`, key: `key-${id}` });

describe('uploadQueue', () => {
  it('runs a job: queued → uploading → uploaded, then forgets its bytes and says so once', LIMIT, async () => {
    const h = setUp();
    const queued = await h.enqueue('job-a');
    assert.equal(queued.state, 'queued');
    assert.ok(h.changes >= 1, 'pages hear about the new job');

    const call = await h.upload(0);
    assert.equal(h.store.state('job-a'), 'uploading');
    assert.equal(h.store.jobs.get('job-a')?.attempts, 1);
    assert.equal(call.job.id, 'job-a');
    assert.equal(call.job.state, 'uploading');
    assert.equal(await call.blob.text(), await imageBlob('job-a').text(), 'the stored bytes are sent');
    assert.equal(call.signal.aborted, false);
    assert.equal(h.awake, 1, 'the worker is held awake during the upload');

    const changesBefore = h.changes;
    h.clock.time = T0 + 2_000;
    call.resolve(result('job-a'));
    await h.until(() => h.awake === 0);

    const done = h.store.jobs.get('job-a');
    assert.equal(done?.state, 'uploaded');
    assert.deepEqual(done?.result, result('job-a'));
    assert.equal(done?.updatedAt, T0 + 2_000);
    assert.equal(h.store.blobs.has('job-a'), false, 'the bytes are deleted once Glean has them');
    assert.ok(h.changes > changesBefore, 'pages hear about the end');
    assert.equal(h.finished.length, 1);
    assert.equal(h.finished[0]?.job.state, 'uploaded');
    assert.equal(await h.finished[0]?.blob?.text(), await imageBlob('job-a').text(), 'finished gets the bytes (for the cache)');

    await h.quiet();
    assert.equal(h.finished.length, 1, 'finished exactly once');
    assert.equal(h.uploads.length, 1, 'and uploaded exactly once');
    assert.equal(h.wakeAts.at(-1), null, 'nothing left to wake up for');
    assert.equal(h.awake, 0);
  });

  it(`runs at most ${MAX_CONCURRENT_UPLOADS} uploads at once, oldest first, and starts the next when one ends`, LIMIT, async () => {
    assert.equal(MAX_CONCURRENT_UPLOADS, 2);
    // Listed newest first, as the real store does; created oldest first.
    const queued = ['job-3', 'job-2', 'job-1'].map((id, n) => createJob(newJob(id), T0 - 1 - n));
    const h = setUp({ withJobs: queued, withBlobs: ['job-1', 'job-2', 'job-3'] });
    await h.queue.pump();
    const [first, second] = [await h.upload(0), await h.upload(1)];
    assert.deepEqual([first.job.id, second.job.id], ['job-1', 'job-2']);

    await h.queue.pump();
    await h.queue.pump();
    assert.equal(h.holds, 2, 'no third run was started');
    assert.equal(h.uploads.length, 2);
    assert.equal(h.awake, 2);
    assert.equal(h.store.state('job-3'), 'queued');
    // The third job needs no wake-up: the end of an upload starts it. Asking for one now would
    // only spin the queue (a timer for "now" that finds no free slot, again and again).
    assert.ok(
      h.wakeAts.every((at) => at === null || at > h.clock.time),
      `asked to be woken at ${JSON.stringify(h.wakeAts)} while only waiting for a free slot`,
    );

    second.resolve(result(second.job.id));
    const third = await h.upload(2);
    assert.equal(third.job.id, 'job-3');
    assert.equal(h.store.state(first.job.id), 'uploading', 'the first is still going');
    assert.ok(h.awake <= 2);

    first.resolve(result(first.job.id));
    third.resolve(result('job-3'));
    await h.until(() => h.finished.length === 3 && h.awake === 0);
    await h.quiet();
    assert.deepEqual([...h.store.jobs.values()].map((j) => j.state), ['uploaded', 'uploaded', 'uploaded']);
    assert.equal(h.uploads.length, 3);
  });

  it('resumes a job a stopped worker left uploading', LIMIT, async () => {
    const left = { ...createJob(newJob('job-left'), T0 - 60_000), state: 'uploading' as const, attempts: 1, nextAttemptAt: null };
    const h = setUp({ withJobs: [left], withBlobs: ['job-left'] });
    await h.queue.pump();

    const call = await h.upload(0);
    assert.equal(call.job.id, 'job-left');
    assert.equal(call.job.attempts, 2, 'the lost attempt counts');
    call.resolve(result('job-left'));
    await h.until(() => h.finished.length === 1 && h.awake === 0);
    assert.equal(h.store.state('job-left'), 'uploaded');
    assert.equal(h.uploads.length, 1);
  });

  it('while an upload runs, asks to be woken in case the worker is stopped mid-upload; once it ends, no more', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-long');
    const call = await h.upload(0);
    await h.until(() => h.wakeAts.length > 0);
    assert.equal(h.wakeAts.at(-1), T0 + RESCUE_AFTER_MS);
    // The rescue wake-up comes while this worker still runs the upload: it asks again, starts nothing.
    h.clock.time = T0 + RESCUE_AFTER_MS;
    await h.queue.pump();
    assert.equal(h.wakeAts.at(-1), T0 + 2 * RESCUE_AFTER_MS);
    assert.equal(h.holds, 1);
    call.resolve(result('job-long'));
    await h.quiet();
    assert.equal(h.wakeAts.at(-1), null);
  });

  it('queues a job again after a retryable failure, asks to be woken then, and retries when pumped', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-r');
    const first = await h.upload(0);
    h.clock.time = T0 + 500;
    first.reject(new GleanError('server-error', 'HTTP 503', { status: 503 }));
    const retryAt = T0 + 500 + UPLOAD_RETRY.initialDelayMs; // random() is 0: no jitter
    await h.until(() => h.awake === 0 && h.wakeAts.at(-1) === retryAt);

    const waiting = h.store.jobs.get('job-r');
    assert.equal(waiting?.state, 'queued');
    assert.equal(waiting?.nextAttemptAt, retryAt);
    assert.deepEqual(waiting?.lastError, { code: 'server-error', status: 503, message: `server-error/503/retry in ${UPLOAD_RETRY.initialDelayMs}` });
    assert.equal(h.finished.length, 0, 'a job waiting to retry has not finished');
    assert.equal(h.store.blobs.has('job-r'), true);

    // Woken a little early (a timer may fire early): nothing starts.
    h.clock.time = retryAt - 1;
    await h.queue.pump();
    assert.equal(h.holds, 1);
    assert.equal(h.wakeAts.at(-1), retryAt, 'still waiting for the same time');

    h.clock.time = retryAt;
    await h.queue.pump();
    const second = await h.upload(1);
    assert.equal(second.job.attempts, 2);
    second.resolve(result('job-r'));
    await h.until(() => h.finished.length === 1 && h.awake === 0);
    assert.equal(h.store.state('job-r'), 'uploaded');
    assert.equal(h.store.jobs.get('job-r')?.lastError, null);
  });

  it('fails a job on a permanent error, keeps its bytes, and Retry brings it back', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-p');
    const first = await h.upload(0);
    first.reject(new GleanError('unauthorized', 'HTTP 401', { status: 401 }));
    await h.until(() => h.finished.length === 1 && h.awake === 0);

    const failed = h.store.jobs.get('job-p');
    assert.equal(failed?.state, 'failed');
    assert.deepEqual(failed?.lastError, { code: 'unauthorized', status: 401, message: 'unauthorized/401/final' });
    assert.equal(failed?.nextAttemptAt, null);
    assert.equal(h.store.blobs.has('job-p'), true, 'the bytes stay for Retry');
    assert.equal(h.finished[0]?.job.state, 'failed');
    assert.ok(h.finished[0]?.blob, 'finished gets the bytes');
    await h.queue.pump();
    assert.equal(h.uploads.length, 1, 'a failed job is not retried by itself');
    assert.equal(h.wakeAts.at(-1), null);

    h.clock.time = T0 + 10_000;
    const queued = await h.queue.retry('job-p');
    assert.equal(queued?.state, 'queued');
    assert.equal(queued?.attempts, 0);
    assert.equal(queued?.lastError, null);
    const second = await h.upload(1);
    assert.equal(second.job.attempts, 1, 'a fresh run of attempts');
    assert.equal(second.job.startedAt, T0 + 10_000, 'with a fresh budget');
    second.resolve(result('job-p'));
    await h.until(() => h.finished.length === 2 && h.awake === 0);
    assert.equal(h.store.state('job-p'), 'uploaded');
    assert.equal(h.store.blobs.has('job-p'), false);
  });

  it('retry() leaves alone a job that has not failed, and an unknown id', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-q');
    const call = await h.upload(0);
    const same = await h.queue.retry('job-q');
    assert.equal(same?.state, 'uploading');
    assert.equal(await h.queue.retry('nope'), undefined);
    await h.queue.pump();
    assert.equal(h.uploads.length, 1);
    call.resolve(result('job-q'));
    await h.until(() => h.awake === 0);
  });

  it('fails a job after its attempts are used up', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-x');
    for (let n = 0; n < UPLOAD_RETRY.maxAttempts; n++) {
      const call = await h.upload(n);
      assert.equal(call.job.attempts, n + 1);
      call.reject(new GleanError('unreachable', 'Could not reach Glean.'));
      await h.until(() => h.awake === 0 && h.store.state('job-x') !== 'uploading');
      const job = h.store.jobs.get('job-x');
      if (job?.state === 'queued') {
        h.clock.time = job.nextAttemptAt ?? h.clock.time;
        await h.queue.pump();
      }
    }
    await h.until(() => h.finished.length === 1);
    assert.equal(h.store.state('job-x'), 'failed');
    assert.equal(h.store.jobs.get('job-x')?.lastError?.message, 'unreachable/-/final');
    assert.equal(h.uploads.length, UPLOAD_RETRY.maxAttempts);
  });

  it('Glean offline for two minutes, then back: the job waits by the policy and ends uploaded', LIMIT, async () => {
    const OUTAGE_MS = 120_000;
    const h = setUp();
    await h.enqueue('job-outage');
    const attemptsAt: number[] = [];
    for (let n = 0; ; n++) {
      const call = await h.upload(n);
      attemptsAt.push(h.clock.time - T0);
      if (h.clock.time - T0 >= OUTAGE_MS) {
        call.resolve(result('job-outage'));
        break;
      }
      call.reject(new GleanError('unreachable', 'Could not reach Glean.'));
      await h.until(() => h.awake === 0 && h.store.state('job-outage') !== 'uploading');
      const job = h.store.jobs.get('job-outage');
      assert.equal(job?.state, 'queued', `still waiting after attempt ${n + 1}, ${(h.clock.time - T0) / 1000} s into the outage`);
      h.clock.time = job.nextAttemptAt ?? NaN;
      await h.queue.pump();
    }
    await h.until(() => h.store.state('job-outage') === 'uploaded');
    // random() is 0: the policy's own waits, 1 s doubling to the 60 s ceiling.
    assert.deepEqual(attemptsAt.map((ms) => ms / 1000), [0, 1, 3, 7, 15, 31, 63, 123]);
    assert.ok(attemptsAt.length < UPLOAD_RETRY.maxAttempts, 'attempts to spare for a longer outage');
  });

  it('remove() during an upload aborts it and leaves nothing behind', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-rm');
    const call = await h.upload(0);
    const changesBefore = h.changes;
    await h.queue.remove('job-rm');
    assert.equal(call.signal.aborted, true, 'the upload is cancelled');
    assert.ok(h.changes > changesBefore, 'pages hear about the removal');
    await h.until(() => h.awake === 0);
    await h.quiet();
    assert.equal(h.store.jobs.size, 0);
    assert.equal(h.store.blobs.size, 0);
    assert.equal(h.finished.length, 0, 'a removed job is not announced as failed');
    assert.equal(h.uploads.length, 1);
  });

  it('remove() when Glean answered just before: the answer is dropped', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-late');
    const call = await h.upload(0);
    // The upload ignores the abort and succeeds anyway.
    call.resolve(result('job-late'));
    await h.queue.remove('job-late');
    await h.until(() => h.awake === 0);
    await h.quiet();
    assert.equal(h.store.jobs.size, 0);
    assert.equal(h.store.blobs.size, 0);
    assert.equal(h.finished.length, 0);
  });

  it('remove() while the finished upload is being recorded does not bring the job back', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-rec');
    const call = await h.upload(0);
    // Held back: the queue's check "is the job still there?" after Glean answered.
    await h.removeWhileHeld('job-rec', (op, arg) => op === 'readJob' && arg === 'job-rec', async () => call.resolve(result('job-rec')));
  });

  it('remove() while the job is being started does not bring it back', LIMIT, async () => {
    const h = setUp();
    await h.removeWhileHeld('job-st', (op, arg) => op === 'writeJob' && typeof arg !== 'string' && arg.state === 'uploading', () => h.enqueue('job-st'));
    assert.equal(h.uploads.length, 0, 'nothing was sent');
  });

  it('remove() while the queue checks the job it is about to start does not bring it back', LIMIT, async () => {
    const h = setUp();
    await h.removeWhileHeld('job-chk', (op, arg) => op === 'readJob' && arg === 'job-chk', () => h.enqueue('job-chk'));
    assert.equal(h.uploads.length, 0, 'nothing was sent');
  });

  it('remove() while the queue is picking jobs does not bring the job back', LIMIT, async () => {
    const job = createJob(newJob('job-pick'), T0);
    const h = setUp({ withJobs: [job], withBlobs: ['job-pick'] });
    let lists = 0;
    // pump() lists the jobs twice: to tidy up, then to pick what to start. Held back: the second.
    await h.removeWhileHeld('job-pick', (op) => op === 'listJobs' && ++lists === 2, () => h.queue.pump());
    assert.equal(h.uploads.length, 0, 'nothing was sent');
  });

  it('fails a job whose bytes are gone, with a message that says what to do', LIMIT, async () => {
    const job = createJob(newJob('job-nobytes'), T0);
    const h = setUp({ withJobs: [job] }); // no blob
    await h.queue.pump();
    await h.until(() => h.awake === 0);
    const failed = h.store.jobs.get('job-nobytes');
    assert.equal(failed?.lastError?.code, 'invalid-input');
    assert.match(failed?.lastError?.message ?? '', /no longer stored.*Choose the file again/);
    assert.equal(h.uploads.length, 0, 'nothing was sent');
    assert.equal(h.finished.length, 1);
    assert.equal(h.finished[0]?.job.state, 'failed', 'the person hears that it ended');
    assert.equal(h.finished[0]?.blob, undefined);
    await h.quiet();
    assert.equal(h.finished.length, 1);
    assert.equal(h.store.state('job-nobytes'), 'failed');
  });

  it('never starts the same job twice, however often it is pumped', LIMIT, async () => {
    const left = { ...createJob(newJob('job-1'), T0 - 10), state: 'uploading' as const, attempts: 1, nextAttemptAt: null };
    const h = setUp({ withJobs: [left, createJob(newJob('job-2'), T0 - 5)], withBlobs: ['job-1', 'job-2'] });
    const pumps = [h.queue.pump(), h.queue.pump(), h.queue.pump()];
    await h.enqueue('job-3');
    pumps.push(h.queue.pump(), h.queue.pump());
    await Promise.all(pumps);
    const [a, b] = [await h.upload(0), await h.upload(1)];
    await Promise.all([h.queue.pump(), h.queue.pump()]);
    assert.equal(h.holds, 2);
    assert.deepEqual([a.job.id, b.job.id].sort(), ['job-1', 'job-2']);

    a.resolve(result(a.job.id));
    void h.queue.pump();
    const c = await h.upload(2);
    void h.queue.pump();
    b.resolve(result(b.job.id));
    void h.queue.pump();
    c.resolve(result(c.job.id));
    await h.until(() => h.finished.length === 3 && h.awake === 0);
    await Promise.all([h.queue.pump(), h.queue.pump()]);
    await h.quiet();
    assert.deepEqual(h.uploads.map((u) => u.job.id).sort(), ['job-1', 'job-2', 'job-3']);
    assert.equal(h.holds, 3);
    assert.equal(h.finished.length, 3);
  });

  it('pumps one at a time, so the last wake-up asked for is from the newest look at the jobs', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-w');
    const call = await h.upload(0);
    assert.deepEqual(h.wakeAts, [T0 + RESCUE_AFTER_MS]);

    // A pump that has listed the jobs (job-w uploading, so nothing to wake for) but not yet decided.
    const listed = deferred();
    const released = deferred();
    let lists = 0;
    h.store.pause = (op) => {
      if (op !== 'listJobs' || ++lists !== 2) return undefined;
      listed.resolve();
      return released.promise;
    };
    const slow = h.queue.pump();
    await listed.promise;

    // Meanwhile the upload fails for now; its run ends by asking for another pump, which must wait
    // for the slow one (were it let through, it would be done long before the slow one).
    call.reject(new GleanError('server-error', 'HTTP 503', { status: 503 }));
    await h.until(() => h.awake === 0);
    await everyStepQueuedSoFar();
    released.resolve();
    await slow;
    await h.until(() => h.wakeAts.length === 3);
    assert.deepEqual(h.wakeAts, [T0 + RESCUE_AFTER_MS, null, T0 + UPLOAD_RETRY.initialDelayMs], 'the stale pump had the last word');
  });

  it('Retry pressed while the last attempt is still being announced waits for it', LIMIT, async () => {
    const h = setUp();
    await h.enqueue('job-slow');
    const first = await h.upload(0);
    h.holdFinished();
    first.reject(new GleanError('forbidden', 'HTTP 403', { status: 403 }));
    await h.until(() => h.finished.length === 1);
    assert.equal(h.store.state('job-slow'), 'failed');

    await h.queue.retry('job-slow');
    await h.queue.pump();
    assert.equal(h.holds, 1, 'a second run of the same job started alongside the first');

    h.releaseFinished();
    const second = await h.upload(1);
    assert.equal(second.job.attempts, 1);
    // The queue still knows the new run is running: removing it cancels it.
    await h.queue.remove('job-slow');
    assert.equal(second.signal.aborted, true);
    await h.until(() => h.awake === 0);
    await h.quiet();
    assert.equal(h.store.jobs.size, 0);
    assert.equal(h.uploads.length, 2);
  });

  it('prunes finished jobs beyond the newest 100, with their bytes, and keeps unfinished ones', LIMIT, async () => {
    const old: UploadJob[] = [];
    for (let n = 0; n < 103; n++) {
      old.push({ ...createJob(newJob(`old-${n}`), T0 - 1_000_000 + n), state: 'uploaded', nextAttemptAt: null });
    }
    // The oldest job of all is waiting to retry: it must survive.
    const waiting = { ...createJob(newJob('waiting'), T0 - 2_000_000), attempts: 1, nextAttemptAt: T0 + 30_000 };
    const h = setUp({ withJobs: [...old, waiting], withBlobs: ['old-0', 'old-1', 'old-2', 'old-50', 'waiting'] });
    await h.queue.pump();
    // The newest 100 jobs stay, and the unfinished one beyond them.
    assert.equal(h.store.jobs.size, 101);
    assert.equal(h.store.jobs.has('waiting'), true);
    for (const id of ['old-0', 'old-1', 'old-2']) assert.equal(h.store.jobs.has(id), false, id);
    assert.equal(h.store.jobs.has('old-3'), true);
    assert.deepEqual([...h.store.blobs.keys()].sort(), ['old-50', 'waiting']);
    assert.equal(h.wakeAts.at(-1), T0 + 30_000);
    assert.equal(h.holds, 0);
  });

  describe('whose credential a job is sent with', () => {
    it('a job started as A, when B is signed in now, waits for its identity and is not sent', LIMIT, async () => {
      const h = setUp();
      h.signInAs(B);
      await h.store.writeJob({ ...createJob(newJob('job-a'), T0), boundTo: A });
      h.store.blobs.set('job-a', imageBlob('job-a'));
      await h.queue.pump();
      await h.quiet();
      const waiting = h.store.jobs.get('job-a');
      assert.equal(waiting?.state, 'waiting');
      assert.equal(waiting?.waitingFor, 'identity');
      assert.equal(waiting?.lastError?.message, 'waiting for identity');
      assert.equal(h.uploads.length, 0, 'never sent with B’s credential');
      assert.equal(h.finished.length, 0, 'a waiting job has not ended');
      assert.equal(h.store.blobs.has('job-a'), true, 'its bytes stay');
      assert.equal(h.wakeAts.at(-1), null, 'nothing to wake up for');

      // Pumped again (B still signed in): it keeps waiting, by itself it never goes with B.
      await h.queue.pump();
      assert.equal(h.uploads.length, 0);

      // Retry: the person sends it as who they are now.
      const queued = await h.queue.retry('job-a');
      assert.equal(queued?.state, 'queued');
      const call = await h.upload(0);
      assert.deepEqual(call.job.boundTo, B, 'rebound to the credential of the time');
      call.resolve(result('job-a'));
      await h.until(() => h.finished.length === 1 && h.awake === 0);
      assert.equal(h.store.state('job-a'), 'uploaded');
    });

    it('a job started with no credential waits for a sign-in, and goes on by itself once there is one', LIMIT, async () => {
      const h = setUp();
      h.signInAs(null);
      await h.enqueue('job-s');
      await h.quiet();
      const waiting = h.store.jobs.get('job-s');
      assert.equal(waiting?.state, 'waiting');
      assert.equal(waiting?.waitingFor, 'sign-in');
      assert.equal(waiting?.lastError?.code, 'sign-in-needed');
      assert.equal(h.uploads.length, 0);

      await h.queue.pump();
      assert.equal(h.uploads.length, 0, 'still nobody to send it as');

      h.signInAs(A);
      // Woken for another reason (an alarm, a new job), the queue does not look for a credential...
      await h.queue.pump();
      assert.equal(h.uploads.length, 0);
      // ...a sign-in or a saved token tells it there is one.
      await h.queue.resumeWaiting();
      const call = await h.upload(0);
      assert.equal(call.job.id, 'job-s');
      assert.deepEqual(call.job.boundTo, A);
      call.resolve(result('job-s'));
      await h.until(() => h.finished.length === 1 && h.awake === 0);
      assert.equal(h.store.state('job-s'), 'uploaded');
    });

    it('a job waiting for its sign-in is not sent when someone else signs in', LIMIT, async () => {
      const h = setUp();
      h.signInAs(null);
      await h.store.writeJob(waitFor({ ...createJob(newJob('job-w'), T0), boundTo: A }, 'sign-in', 'waiting for sign-in', T0));
      h.store.blobs.set('job-w', imageBlob('job-w'));
      h.signInAs(B);
      await h.queue.resumeWaiting();
      await h.quiet();
      assert.equal(h.uploads.length, 0);
      assert.equal(h.store.jobs.get('job-w')?.state, 'waiting');
      h.signInAs(A);
      await h.queue.resumeWaiting();
      const call = await h.upload(0);
      assert.deepEqual(call.job.boundTo, A);
      call.resolve(result('job-w'));
      await h.until(() => h.awake === 0);
    });

    it('afterCredentialChange, passed on as a callback as the settings handler does, answers and lets waiting jobs go on', LIMIT, async () => {
      const h = setUp();
      h.signInAs(null);
      await h.enqueue('job-c');
      await h.quiet();
      assert.equal(h.store.state('job-c'), 'waiting');
      h.signInAs(A);
      // src/worker/index.ts: settings.save(input).then(...).then(uploads.afterCredentialChange)
      const answered = await Promise.resolve('the settings view').then(h.queue.afterCredentialChange);
      assert.equal(answered, 'the settings view');
      const call = await h.upload(0);
      assert.equal(call.job.id, 'job-c');
      call.resolve(result('job-c'));
      await h.until(() => h.finished.length === 1 && h.awake === 0);
    });

    it('an upload whose sign-in ended on the way (sign-in-needed) waits for the sign-in instead of failing', LIMIT, async () => {
      const h = setUp();
      await h.enqueue('job-e');
      const call = await h.upload(0);
      // The refresh was refused: the sign-in is marked ended, so nobody is signed in any more.
      h.signInAs(null);
      call.reject(new GleanError('sign-in-needed', 'The sign-in ended: sign in again.'));
      await h.until(() => h.awake === 0 && h.store.state('job-e') === 'waiting');
      await h.quiet();
      const waiting = h.store.jobs.get('job-e');
      assert.equal(waiting?.waitingFor, 'sign-in');
      assert.deepEqual(waiting?.boundTo, A);
      assert.equal(h.finished.length, 0, 'not announced as failed');
      assert.equal(h.uploads.length, 1);

      // The same person signs in again: it goes on, as them.
      h.signInAs(A);
      await h.queue.resumeWaiting();
      const again = await h.upload(1);
      assert.deepEqual(again.job.boundTo, A);
      again.resolve(result('job-e'));
      await h.until(() => h.finished.length === 1 && h.awake === 0);
      assert.equal(h.store.state('job-e'), 'uploaded');
    });
  });

  it('an upload that finds no credential although who() still names its identity is not sent again in a loop', LIMIT, async () => {
    // settings.whose() names a sign-in by its status alone, while settings.connection() needs its grant:
    // a grant that no longer unseals (the seal's key lost) makes the upload fail 'not-configured'
    // while who() keeps answering A.
    const h = setUp();
    await h.enqueue('job-n');
    const call = await h.upload(0);
    call.reject(new GleanError('not-configured', 'No API token or sign-in for this server.'));
    await h.until(() => h.awake === 0);
    await everyStepQueuedSoFar();
    assert.equal(h.uploads.length, 1, `sent ${h.uploads.length} times with nothing changed`);
  });
});

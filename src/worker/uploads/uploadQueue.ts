/**
 * Runs upload jobs to the end: resumes whatever a stopped worker left unfinished, runs at most two
 * uploads at once, retries by the upload policy, and asks to be woken when a waiting job is due.
 * Everything it knows is in the job store; its in-memory map only says which uploads this worker
 * instance is running right now, which is exactly what a restarted worker must not believe.
 */
import { asGleanError, GleanError } from '../../glean/gleanError.ts';
import { UPLOAD_RETRY } from '../../glean/retryPolicy.ts';
import { t } from '../../shared/i18n.ts';
import type { JobBinding, UploadJob, UploadResult, WaitReason } from '../../shared/uploadJob.ts';
import type { Clock } from '../clock.ts';
import {
  attemptFailed,
  canResume,
  canRetry,
  createJob,
  dueJobs,
  failNow,
  interrupted,
  jobsToPrune,
  nextWakeUp,
  retryJob,
  startAttempt,
  succeed,
  waitFor,
  whyNotNow,
  type NewJob,
} from './jobMachine.ts';
import { logError } from '../../shared/logFailure.ts';

export const MAX_CONCURRENT_UPLOADS = 2;

/** Anything but Glean's answers, the network's failures (GleanError) and aborts and timeouts (DOMException). */
const isBug = (error: unknown): boolean => !(error instanceof GleanError) && !(error instanceof DOMException && (error.name === 'AbortError' || error.name === 'TimeoutError'));

/** Failures that mean "no credential to send with": the job waits for sign-in instead of failing. */
const NEEDS_CREDENTIAL: ReadonlySet<string> = new Set(['sign-in-needed', 'not-configured']);

/**
 * While uploads run, the queue also asks to be woken this long from now. Chrome may stop the worker
 * in the middle of an upload however it is kept awake (a crash, memory pressure, DevTools), which
 * leaves the job `uploading` with no wake-up scheduled and perhaps no page open to start the worker
 * again: only the hourly cache sweep would. Woken, a new worker finds the job interrupted and sends it
 * again; a worker still running it just asks again. 30 s is the soonest Chrome fires an alarm for an
 * installed extension (https://developer.chrome.com/docs/extensions/reference/api/alarms).
 */
export const RESCUE_AFTER_MS = 30_000;

const earliest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

export interface JobStore {
  listJobs(): Promise<UploadJob[]>;
  readJob(id: string): Promise<UploadJob | undefined>;
  writeJob(job: UploadJob): Promise<void>;
  deleteJob(id: string): Promise<void>;
  readBlob(id: string): Promise<Blob | undefined>;
  deleteBlob(id: string): Promise<void>;
}

export interface UploadQueueDeps {
  store: JobStore;
  /** Whose credential requests would use now (server and identity), or null when there is none. */
  who: () => Promise<JobBinding | null>;
  /** One attempt: sends the job's bytes to Glean with the credential the job is bound to. */
  upload: (blob: Blob, job: UploadJob, signal: AbortSignal) => Promise<UploadResult>;
  describe: (error: GleanError, willRetry: boolean, retryInMs?: number) => string;
  /** What a waiting job says in "Recent uploads". */
  describeWait: (reason: WaitReason) => string;
  clock: Clock;
  /** Wake the queue at this time (ms since epoch), or never (null): timers and alarms live outside. */
  wakeAt: (at: number | null) => void;
  /** Keeps the worker alive while an upload runs; returns the release. */
  holdAwake: () => () => void;
  /** Something about the jobs changed: pages showing "Recent uploads" re-read them. */
  changed: () => void;
  /** A job ended (uploaded or failed): notifications, the cache, the badge. */
  finished?: (job: UploadJob, blob: Blob | undefined) => void | Promise<void>;
}

export function createUploadQueue(deps: UploadQueueDeps) {
  const { store, clock } = deps;
  const running = new Map<string, AbortController>();
  let pumping: Promise<void> = Promise.resolve();

  const save = async (job: UploadJob): Promise<UploadJob> => {
    await store.writeJob(job);
    deps.changed();
    return job;
  };

  /** Where a failed attempt leaves the job. */
  function failed(job: UploadJob, error: unknown): UploadJob {
    if (isBug(error)) {
      // Not Glean's answer nor the network's: a bug of ours. Logged, and shown as one, with Retry.
      logError('an upload attempt failed unexpectedly', error);
      return failNow(job, { code: 'unexpected', message: t('errorUnexpected') }, clock.now());
    }
    const failure = asGleanError(error);
    // The sign-in ended (or the credential went) mid-run: the job waits for it rather than failing.
    return NEEDS_CREDENTIAL.has(failure.code)
      ? waitFor(job, 'sign-in', deps.describeWait('sign-in'), clock.now())
      : attemptFailed(job, failure, deps.describe, UPLOAD_RETRY, clock.now(), clock.random);
  }

  /** remove() aborts `signal` before it deletes anything, and store operations take effect in call
   * order, so a write issued after checking `signal` cannot bring a removed job back. */
  async function run(queued: UploadJob, signal: AbortSignal): Promise<void> {
    const release = deps.holdAwake();
    try {
      // The list it was picked from may be stale: the job may have been removed since.
      const current = await store.readJob(queued.id);
      if (signal.aborted || current?.state !== 'queued') return;
      // Never sent with another credential, or to another server, than the one it was started with.
      const who = await deps.who();
      const reason = whyNotNow(current, who);
      if (reason !== null || who === null) {
        await save(waitFor(current, reason ?? 'sign-in', deps.describeWait(reason ?? 'sign-in'), clock.now()));
        return;
      }
      const job = await save(startAttempt(current, who, clock.now()));
      const blob = await store.readBlob(job.id);
      if (signal.aborted) return;
      if (!blob) {
        const failed = await save(failNow(job, { code: 'invalid-input', message: t('uploadBytesGone') }, clock.now()));
        await deps.finished?.(failed, undefined);
        return;
      }
      let ended: UploadJob;
      try {
        ended = succeed(job, await deps.upload(blob, job, signal), clock.now());
      } catch (error) {
        if (signal.aborted) return; // Removed while uploading: nothing left to record.
        ended = failed(job, error);
      }
      if (!(await store.readJob(job.id)) || signal.aborted) return; // Removed meanwhile.
      await save(ended);
      if (ended.state === 'uploaded') await store.deleteBlob(ended.id);
      if (ended.state === 'uploaded' || ended.state === 'failed') await deps.finished?.(ended, blob);
    } finally {
      release();
    }
  }

  async function pumpOnce(): Promise<void> {
    const now = clock.now();
    let jobs = await store.listJobs();
    for (const job of jobs.filter((j) => j.state === 'uploading' && !running.has(j.id))) {
      await save(interrupted(job, now));
    }
    for (const job of jobsToPrune(jobs)) {
      await Promise.all([store.deleteJob(job.id), store.deleteBlob(job.id)]);
    }
    jobs = await store.listJobs();
    // A job still running here (Retry pressed while its last run is being announced) waits for that run to end.
    const startable = jobs.filter((job) => !running.has(job.id));
    for (const job of dueJobs(startable, now, MAX_CONCURRENT_UPLOADS - running.size)) {
      const controller = new AbortController();
      running.set(job.id, controller);
      void run(job, controller.signal)
        .catch((error: unknown) => logError('upload job crashed', error))
        .finally(() => {
          running.delete(job.id);
          void pump();
        });
    }
    // Due jobs not started for want of a free slot need no wake-up: the end of a running upload pumps
    // again. (Asking for "now" would spin: a timer that fires, finds no slot, and asks for "now" again.)
    const waiting = nextWakeUp(startable.filter((job) => (job.nextAttemptAt ?? Infinity) > now));
    deps.wakeAt(earliest(waiting, running.size > 0 ? now + RESCUE_AFTER_MS : null));
  }

  /** Looks at every job and starts what is due; calls are queued so two never race. */
  function pump(): Promise<void> {
    pumping = pumping.then(pumpOnce, pumpOnce);
    return pumping;
  }

  /**
   * A credential was saved or a sign-in made: uploads waiting for one go on. Only then, not on every
   * pump: a job whose attempt found no credential although `who` names one would otherwise be sent
   * again at once, in a loop.
   */
  async function resumeWaiting(): Promise<void> {
    const [jobs, who] = await Promise.all([store.listJobs(), deps.who()]);
    for (const job of jobs.filter((j) => canResume(j, who))) await save(interrupted(job, clock.now()));
    await pump();
  }

  return {
    pump,
    resumeWaiting,

    /** For settings handlers: resumeWaiting, then the handler's answer. */
    async afterCredentialChange<T>(answer: T): Promise<T> {
      void resumeWaiting();
      return answer;
    },

    async enqueue(input: NewJob): Promise<UploadJob> {
      const job = await save(createJob(input, clock.now()));
      void pump();
      return job;
    },

    async retry(id: string): Promise<UploadJob | undefined> {
      const job = await store.readJob(id);
      if (!job || !canRetry(job)) return job;
      const queued = await save(retryJob(job, clock.now()));
      void pump();
      return queued;
    },

    async remove(id: string): Promise<void> {
      running.get(id)?.abort();
      await Promise.all([store.deleteJob(id), store.deleteBlob(id)]);
      deps.changed();
    },
  };
}

export type UploadQueue = ReturnType<typeof createUploadQueue>;

/**
 * Runs upload jobs to the end: resumes whatever a stopped worker left unfinished, runs at most two
 * uploads at once, retries by the upload policy, and asks to be woken when a waiting job is due.
 * Everything it knows is in the job store; its in-memory map only says which uploads this worker
 * instance is running right now, which is exactly what a restarted worker must not believe.
 */
import { asGleanError, type GleanError } from '../../glean/gleanError.ts';
import { UPLOAD_RETRY } from '../../glean/retryPolicy.ts';
import type { UploadJob, UploadResult } from '../../shared/uploadJob.ts';
import type { Clock } from '../clock.ts';
import {
  attemptFailed,
  createJob,
  dueJobs,
  failNow,
  interrupted,
  jobsToPrune,
  nextWakeUp,
  retryJob,
  startAttempt,
  succeed,
  type NewJob,
} from './jobMachine.ts';

export const MAX_CONCURRENT_UPLOADS = 2;

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
  /** One attempt: sends the job's bytes to Glean (the client, with the current connection). */
  upload: (blob: Blob, job: UploadJob, signal: AbortSignal) => Promise<UploadResult>;
  describe: (error: GleanError, willRetry: boolean, retryInMs?: number) => string;
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

  async function run(queued: UploadJob, signal: AbortSignal): Promise<void> {
    const release = deps.holdAwake();
    try {
      const job = await save(startAttempt(queued, clock.now()));
      const blob = await store.readBlob(job.id);
      if (!blob) {
        await save(failNow(job, { code: 'invalid-input', message: 'The image’s bytes are no longer stored. Choose the file again and upload it.' }, clock.now()));
        return;
      }
      let ended: UploadJob;
      try {
        ended = succeed(job, await deps.upload(blob, job, signal), clock.now());
      } catch (error) {
        if (signal.aborted) return; // Removed while uploading: nothing left to record.
        ended = attemptFailed(job, asGleanError(error), deps.describe, UPLOAD_RETRY, clock.now(), clock.random);
      }
      if (!(await store.readJob(job.id))) return; // Removed meanwhile.
      await save(ended);
      if (ended.state === 'uploaded') await store.deleteBlob(ended.id);
      if (ended.state !== 'queued') await deps.finished?.(ended, blob);
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
    for (const job of dueJobs(jobs, now, MAX_CONCURRENT_UPLOADS - running.size)) {
      const controller = new AbortController();
      running.set(job.id, controller);
      void run(job, controller.signal)
        .catch((error: unknown) => console.error('Glean Images: upload job crashed', error instanceof Error ? error.name : error))
        .finally(() => {
          running.delete(job.id);
          void pump();
        });
    }
    deps.wakeAt(nextWakeUp(jobs.filter((job) => !running.has(job.id))));
  }

  /** Looks at every job and starts what is due; calls are queued so two never race. */
  function pump(): Promise<void> {
    pumping = pumping.then(pumpOnce, pumpOnce);
    return pumping;
  }

  return {
    pump,

    async enqueue(input: NewJob): Promise<UploadJob> {
      const job = await save(createJob(input, clock.now()));
      void pump();
      return job;
    },

    async retry(id: string): Promise<UploadJob | undefined> {
      const job = await store.readJob(id);
      if (!job || job.state !== 'failed') return job;
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

/**
 * The upload job's states and the only ways it moves between them:
 *   queued → uploading → uploaded | queued (retry later) | failed;  failed → queued (Retry);
 *   queued | uploading → waiting (no credential, or another one than it was started with);
 *   waiting for sign-in → queued (a credential for its server and identity is back);
 *   waiting for the identity → queued (Retry, with the credential of the time).
 * Pure: every transition takes the time and returns a new record.
 */
import { replyError, type GleanError } from '../../glean/gleanError.ts';
import { decideRetry, type RetryPolicy } from '../../glean/retryPolicy.ts';
import type { ImageMetadata } from '../../shared/imageMetadata.ts';
import type { ReplyError } from '../../shared/messages.ts';
import { UPLOAD_JOB_VERSION, type JobBinding, type UploadJob, type UploadResult, type WaitReason } from '../../shared/uploadJob.ts';

export interface NewJob {
  id: string;
  metadata: ImageMetadata;
  fileName: string;
  contentType: string;
  size: number;
  origin: UploadJob['origin'];
}

export function createJob(input: NewJob, now: number): UploadJob {
  return {
    version: UPLOAD_JOB_VERSION,
    ...input,
    state: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    startedAt: now,
    lastError: null,
    result: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** An attempt with the credential of `who`, which the job is bound to from its first attempt on. */
export function startAttempt(job: UploadJob, who: JobBinding, now: number): UploadJob {
  return { ...job, boundTo: job.boundTo ?? who, state: 'uploading', attempts: job.attempts + 1, nextAttemptAt: null, updatedAt: now };
}

/** Why the job may not be sent with `who`'s credential now, if it may not (no credential, or another one). */
export function whyNotNow(job: UploadJob, who: JobBinding | null): WaitReason | null {
  if (who === null) return 'sign-in';
  if (job.boundTo && (job.boundTo.server !== who.server || job.boundTo.identity !== who.identity)) return 'identity';
  return null;
}

export function waitFor(job: UploadJob, reason: WaitReason, message: string, now: number): UploadJob {
  return {
    ...job,
    state: 'waiting',
    waitingFor: reason,
    nextAttemptAt: null,
    lastError: { code: reason === 'sign-in' ? 'sign-in-needed' : 'refused', message },
    updatedAt: now,
  };
}

/** A job waiting for sign-in whose credential is back: it goes on by itself. */
export const canResume = (job: UploadJob, who: JobBinding | null): boolean =>
  job.state === 'waiting' && job.waitingFor === 'sign-in' && whyNotNow(job, who) === null;

export function succeed(job: UploadJob, result: UploadResult, now: number): UploadJob {
  return { ...job, state: 'uploaded', result, lastError: null, nextAttemptAt: null, updatedAt: now };
}

/** A failed attempt: queued again after the policy's wait, or failed for good with its reason. */
export function attemptFailed(
  job: UploadJob,
  error: GleanError,
  describe: (error: GleanError, willRetry: boolean, retryInMs?: number) => string,
  policy: RetryPolicy,
  now: number,
  random: () => number,
): UploadJob {
  const delayMs = decideRetry(policy, { attempt: job.attempts, elapsedMs: now - job.startedAt, error }, random);
  const lastError = replyError(error, describe(error, delayMs !== undefined, delayMs));
  return delayMs === undefined
    ? { ...job, state: 'failed', nextAttemptAt: null, lastError, updatedAt: now }
    : { ...job, state: 'queued', nextAttemptAt: now + delayMs, lastError, updatedAt: now };
}

/** A job that cannot even be tried (its bytes are gone, Glean is not set up): failed, with Retry. */
export function failNow(job: UploadJob, error: ReplyError, now: number): UploadJob {
  return { ...job, state: 'failed', nextAttemptAt: null, lastError: error, updatedAt: now };
}

/** The person pressed Retry: a fresh run of attempts with a fresh budget, with the credential they have now. */
export function retryJob(job: UploadJob, now: number): UploadJob {
  const { boundTo: _previous, waitingFor: _reason, ...rest } = job;
  return { ...rest, state: 'queued', attempts: 0, nextAttemptAt: now, startedAt: now, lastError: null, updatedAt: now };
}

export const canRetry = (job: UploadJob): boolean => job.state === 'failed' || job.state === 'waiting';

/** An attempt the worker was stopped in the middle of did not finish, or a waiting job may go on: try it now. */
export function interrupted(job: UploadJob, now: number): UploadJob {
  const { waitingFor: _reason, ...rest } = job;
  return { ...rest, state: 'queued', nextAttemptAt: now, updatedAt: now };
}

export const isUnfinished = (job: UploadJob): boolean => job.state === 'queued' || job.state === 'uploading' || job.state === 'waiting';

/** Jobs to start now, oldest first, leaving room for at most `slots` uploads at once. */
export function dueJobs(jobs: readonly UploadJob[], now: number, slots: number): UploadJob[] {
  return jobs
    .filter((job) => job.state === 'queued' && (job.nextAttemptAt ?? Infinity) <= now)
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(0, Math.max(0, slots));
}

/** When the earliest waiting job is due, or null when none waits. */
export function nextWakeUp(jobs: readonly UploadJob[]): number | null {
  const times = jobs.filter((job) => job.state === 'queued' && job.nextAttemptAt !== null).map((job) => job.nextAttemptAt as number);
  return times.length ? Math.min(...times) : null;
}

export const HISTORY_LIMIT = 100;

/** Finished jobs beyond the newest HISTORY_LIMIT: pruned with their bytes. Unfinished jobs are never pruned. */
export function jobsToPrune(jobs: readonly UploadJob[]): UploadJob[] {
  const newestFirst = [...jobs].sort((a, b) => b.createdAt - a.createdAt);
  return newestFirst.slice(HISTORY_LIMIT).filter((job) => !isUnfinished(job));
}

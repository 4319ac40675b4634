/**
 * An upload job as stored in IndexedDB: a record, not a promise, so it survives the worker being
 * stopped at any moment. The worker writes jobs; pages read them to show "Recent uploads".
 */
import type { MessageName } from './i18n.ts';
import type { ImageMetadata } from './imageMetadata.ts';
import type { ReplyError } from './messages.ts';

export const UPLOAD_JOB_VERSION = 1;

export type JobState = 'queued' | 'uploading' | 'uploaded' | 'failed' | 'waiting';

/** The server and identity (src/worker/settings.ts `Connection`) an upload was started for: it goes nowhere else. */
export interface JobBinding {
  server: string;
  identity: string;
}

/**
 * Why a job waits: 'sign-in', for a credential (it goes on by itself once there is one for its
 * server and identity); 'identity', because the server or credential changed since it was started
 * (it goes on only when the person presses Retry, with the credential of the time).
 */
export type WaitReason = 'sign-in' | 'identity';

export interface UploadResult {
  url: string;
  key?: string;
}

export interface UploadJob {
  version: typeof UPLOAD_JOB_VERSION;
  id: string;
  metadata: ImageMetadata;
  fileName: string;
  contentType: string;
  size: number;
  /** Where the person started it: the popup's form or the page's context menu. */
  origin: 'popup' | 'context-menu';
  state: JobState;
  /** Absent until a credential was there to bind it to. */
  boundTo?: JobBinding;
  /** Set while `state` is 'waiting'. */
  waitingFor?: WaitReason;
  /** Attempts made since the job was (re)started. */
  attempts: number;
  /** When a queued job may next be tried (ms since epoch); null once it ended. */
  nextAttemptAt: number | null;
  /** When the current run of attempts began: the retry budget counts from here. */
  startedAt: number;
  lastError: ReplyError | null;
  result: UploadResult | null;
  createdAt: number;
  updatedAt: number;
}

/** A job's state in words ("Queued", "Uploading", "Uploaded", "Failed", "Waiting for sign-in"), for `t()`. */
export function stateWords(job: Pick<UploadJob, 'state' | 'waitingFor'>): MessageName {
  switch (job.state) {
    case 'queued':
      return 'jobStateQueued';
    case 'uploading':
      return 'jobStateUploading';
    case 'uploaded':
      return 'jobStateUploaded';
    case 'failed':
      return 'jobStateFailed';
    case 'waiting':
      return job.waitingFor === 'identity' ? 'jobStateWaitingForIdentity' : 'jobStateWaitingForSignIn';
  }
}

/**
 * An upload job as stored in IndexedDB: a record, not a promise, so it survives the worker being
 * stopped at any moment. The worker writes jobs; pages read them to show "Recent uploads".
 */
import type { MessageName } from './i18n.ts';
import type { ImageMetadata, ServerImageMetadata } from './imageMetadata.ts';
import type { ReplyError } from './messages.ts';

export const UPLOAD_JOB_VERSION = 1;

export type JobState = 'queued' | 'uploading' | 'uploaded' | 'failed';

export interface UploadResult {
  url: string;
  key?: string;
  metadata?: ServerImageMetadata;
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

/** A job's state in words ("Queued", "Uploading", "Uploaded", "Failed"), for `t()`. */
export const STATE_WORDS: Record<JobState, MessageName> = {
  queued: 'jobStateQueued',
  uploading: 'jobStateUploading',
  uploaded: 'jobStateUploaded',
  failed: 'jobStateFailed',
};

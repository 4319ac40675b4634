/** Frees the disk of upload bytes no job will ever send (see uploadStore.ts sweepOrphanedBlobs). */
import { PENDING_BLOB_ID } from '../../shared/pendingImage.ts';
import { sweepOrphanedBlobs } from '../../shared/uploadStore.ts';
import { logError } from '../../shared/logFailure.ts';

export function sweepUploadBlobs(): Promise<void> {
  return sweepOrphanedBlobs(new Set([PENDING_BLOB_ID])).then(
    () => undefined,
    // Nothing waits on it: a failed sweep leaves the bytes for the next one.
    (error: unknown) => logError('sweeping upload bytes failed', error),
  );
}

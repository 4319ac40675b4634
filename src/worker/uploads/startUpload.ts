/**
 * The worker's side of "Upload": the page has stored the file's Blob under the job id; the worker
 * checks the bytes and metadata itself (never trusting the page's checks) and queues the job.
 */
import { t } from '../../shared/i18n.ts';
import { checkImageFile } from '../../shared/imageSniff.ts';
import type { ImageMetadata } from '../../shared/imageMetadata.ts';
import { checkMetadata } from '../../shared/metadataCheck.ts';
import type { UploadJob } from '../../shared/uploadJob.ts';
import { deleteBlob, readBlob } from '../../shared/uploadStore.ts';
import { InvalidInput } from '../invalidInput.ts';
import type { UploadQueue } from './uploadQueue.ts';

const MAX_FILE_NAME = 255;

export async function startUpload(
  queue: UploadQueue,
  { jobId, metadata, fileName }: { jobId: string; metadata: ImageMetadata; fileName: string },
  origin: UploadJob['origin'] = 'popup',
): Promise<UploadJob> {
  if (!/^[\w-]{8,64}$/.test(jobId)) throw new InvalidInput(t('uploadInvalidId'));
  const blob = await readBlob(jobId);
  if (!blob) throw new InvalidInput(t('uploadImageMissing'));
  const [image, fields] = [await checkImageFile(blob), checkMetadata(metadata, { typeRequired: true })];
  if (!image.ok || !fields.ok) {
    await deleteBlob(jobId);
    throw new InvalidInput(!image.ok ? image.message : !fields.ok ? fields.message : '');
  }
  return queue.enqueue({
    id: jobId,
    metadata: fields.metadata,
    fileName: fileName.slice(0, MAX_FILE_NAME),
    contentType: image.contentType,
    size: blob.size,
    origin,
  });
}

/**
 * After a successful upload, the cache files the image's thumbnail under the lookups that will find
 * it (its metadata and its key), replacing whatever an earlier image with the same metadata left.
 */
import { queryKey } from '../../shared/cacheEntry.ts';
import type { ImageMetadata } from '../../shared/imageMetadata.ts';
import type { JobBinding } from '../../shared/uploadJob.ts';
import { partitionOf } from '../partition.ts';
import type { ImageCache } from './imageCache.ts';
import type { KeepImage } from './keepImage.ts';

export function createRememberUpload(cache: ImageCache, keepImage: KeepImage) {
  /**
   * One upload filed at a time: filing reads the whole file (to hash it) and decodes it (for the
   * thumbnail), and the uploads running side by side (src/worker/uploads/uploadQueue.ts) often end
   * together; a batch must cost the worker about one file's memory, not two or more.
   */
  let filing: Promise<void> = Promise.resolve();

  /** Never throws: the upload succeeded whether or not its thumbnail could be kept. */
  return function rememberUpload(uploadedAs: JobBinding, metadata: ImageMetadata, key: string | undefined, blob: Blob): Promise<void> {
    filing = filing.then(() => file(uploadedAs, metadata, key, blob));
    return filing;
  };

  async function file(uploadedAs: JobBinding, metadata: ImageMetadata, key: string | undefined, blob: Blob): Promise<void> {
    const queries = [queryKey({ metadata }), ...(key ? [queryKey({ key })] : [])];
    try {
      const partition = await partitionOf(uploadedAs);
      await cache.usePartition(partition);
      await keepImage(partition, queries, { blob, contentType: blob.type, keepOriginal: false });
    } catch (error) {
      console.warn('Glean Images: the uploaded image was not cached', error instanceof Error ? error.name : typeof error);
    }
  }
}

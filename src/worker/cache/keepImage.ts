/**
 * Files an image in the cache: its thumbnail, and the original when it is worth keeping. The one way
 * images get into the cache, for lookups and uploads alike.
 */
import { queryKey } from '../../shared/imageAddress.ts';
import type { ImageMetadata } from '../../shared/imageMetadata.ts';
import type { JobBinding } from '../../shared/uploadJob.ts';
import { partitionOf } from '../partition.ts';
import type { ImageCache } from './imageCache.ts';
import type { Thumbnail } from './thumbnail.ts';
import { logWarning } from '../../shared/logFailure.ts';

export interface KeepImageDeps {
  cache: ImageCache;
  makeThumbnail: (image: Blob) => Promise<Thumbnail>;
}

export interface ImageToFile {
  blob: Blob;
  contentType: string;
  /** A lookup keeps the original (the page shows it); an upload keeps only the thumbnail, since the
   * person has the original and Glean serves it on demand. */
  keepOriginal: boolean;
}

export function createKeepImage({ cache, makeThumbnail }: KeepImageDeps) {
  /** Answers whether anything was filed. */
  return async function keepImage(partition: string, queries: readonly string[], image: ImageToFile): Promise<boolean> {
    const entry = { partition, queries, contentType: image.contentType, size: image.blob.size };
    // A lookup's original is filed at once (a WebP encode of a thumbnail takes 10-130 ms on a busy
    // machine), its thumbnail afterwards: only a real one adds anything.
    if (image.keepOriginal) {
      const filed = await cache.put({ ...entry, thumbnail: null, original: image.blob });
      const thumbnail = await makeThumbnail(image.blob);
      return thumbnail.kind === 'thumbnail' ? cache.put({ ...entry, thumbnail: thumbnail.blob, original: image.blob }) : filed;
    }
    const thumbnail = await makeThumbnail(image.blob);
    const original = thumbnail.kind === 'small' ? image.blob : null;
    const thumbnailBlob = thumbnail.kind === 'thumbnail' ? thumbnail.blob : null;
    if (!original && !thumbnailBlob) {
      // Whatever was filed under these lookups showed an image this one replaced.
      await cache.forget(partition, queries);
      return false;
    }
    return cache.put({ ...entry, thumbnail: thumbnailBlob, original });
  };
}

export type KeepImage = ReturnType<typeof createKeepImage>;

/**
 * After a successful upload, its thumbnail is filed under the lookups that will find it (its metadata
 * and its key), replacing whatever an earlier image with the same metadata left.
 */
export function createRememberUpload(cache: ImageCache, keepImage: KeepImage) {
  /**
   * One upload filed at a time: filing decodes the whole file (for the thumbnail), and the uploads
   * running side by side (src/worker/uploads/uploadQueue.ts) often end together; a batch must cost the
   * worker about one file's memory, not two or more.
   */
  let filing: Promise<void> = Promise.resolve();

  /** Never throws: the upload succeeded whether or not its thumbnail could be kept. */
  return function rememberUpload(uploadedAs: JobBinding, metadata: ImageMetadata, key: string | undefined, blob: Blob): Promise<void> {
    filing = filing.then(() => file(uploadedAs, metadata, key, blob));
    return filing;
  };

  async function file(uploadedAs: JobBinding, metadata: ImageMetadata, key: string | undefined, blob: Blob): Promise<void> {
    try {
      const partition = await partitionOf(uploadedAs);
      await cache.usePartition(partition);
      await keepImage(partition, [queryKey({ metadata }), ...(key ? [queryKey({ key })] : [])], { blob, contentType: blob.type, keepOriginal: false });
    } catch (error) {
      logWarning('the uploaded image was not cached', error);
    }
  }
}

/**
 * Files an image in the cache: its thumbnail, its digest, and the original when it is worth keeping.
 * The one way images get into the cache, for lookups and uploads alike.
 */
import type { CacheEntry } from '../../shared/cacheEntry.ts';
import type { ImageCache } from './imageCache.ts';
import type { Thumbnail } from './thumbnail.ts';

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
  /**
   * File the original at once and the thumbnail afterwards, for a page waiting to show the image:
   * a WebP encode of a 256 px thumbnail takes 10-130 ms on a busy machine (measured by the bench).
   */
  thumbnailLater?: boolean;
}

async function sha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function createKeepImage({ cache, makeThumbnail }: KeepImageDeps) {
  /** Returns the entries written, one per query; none when there was nothing to keep. */
  return async function keepImage(partition: string, queries: readonly string[], image: ImageToFile): Promise<CacheEntry[]> {
    if (image.thumbnailLater && image.keepOriginal) {
      const entry = { partition, queries, contentType: image.contentType, size: image.blob.size };
      // Hashed while the cache writes the Blob: only the record, written after the Blob, needs the
      // digest (about 3 ms off the page's wait, measured on the bench's cache-miss lookup).
      const digest = sha256(image.blob);
      digest.catch(() => undefined); // The put awaits it; this only covers a put that ends before it does.
      const filed = await cache.put({ ...entry, digest, thumbnail: null, original: image.blob });
      void keepImage(partition, queries, { ...image, thumbnailLater: false }).catch((error: unknown) =>
        console.warn('Glean Images: no thumbnail for a looked-up image', error instanceof Error ? error.name : typeof error),
      );
      return filed;
    }
    const [thumbnail, digest] = await Promise.all([makeThumbnail(image.blob), sha256(image.blob)]);
    const original = image.keepOriginal || thumbnail.kind === 'small' ? image.blob : null;
    const thumbnailBlob = thumbnail.kind === 'thumbnail' ? thumbnail.blob : null;
    if (!original && !thumbnailBlob) {
      // Whatever was filed under these lookups showed an image this one replaced.
      await cache.forget(partition, queries);
      return [];
    }
    return cache.put({
      partition,
      queries,
      contentType: image.contentType,
      size: image.blob.size,
      digest,
      thumbnail: thumbnailBlob,
      original,
    });
  };
}

export type KeepImage = ReturnType<typeof createKeepImage>;

/**
 * Files an image in the cache: its thumbnail, its digest, and the original when it is worth keeping.
 * The one way images get into the cache, for lookups and uploads alike.
 */
import type { CacheEntry } from '../../shared/cacheEntry.ts';
import type { ImageCache } from './imageCache.ts';
import type { Thumbnail } from './thumbnail.ts';
import { withBytes } from './withBytes.ts';

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
  // digest() copies its input before it returns (https://w3c.github.io/webcrypto/#SubtleCrypto-method-digest),
  // so the file's bytes can go while it hashes.
  const digest = await withBytes(blob, (bytes) => crypto.subtle.digest('SHA-256', bytes));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function createKeepImage({ cache, makeThumbnail }: KeepImageDeps) {
  /** Returns the entries written, one per query; none when there was nothing to keep. */
  return async function keepImage(partition: string, queries: readonly string[], image: ImageToFile): Promise<CacheEntry[]> {
    // Hashed once, while the cache writes the Blob: only the record, written after it, needs the
    // digest (about 3 ms off the page's wait, measured on the bench's cache-miss lookup).
    const digest = sha256(image.blob);
    digest.catch(() => undefined); // Each put awaits it; this only covers a put that ends before it does.
    const entry = { partition, queries, contentType: image.contentType, size: image.blob.size, digest };

    if (image.thumbnailLater && image.keepOriginal) {
      const filed = await cache.put({ ...entry, thumbnail: null, original: image.blob });
      // Only a real thumbnail adds anything: a small image's original, filed already, serves as its
      // own, and an image with none keeps just the original.
      void makeThumbnail(image.blob)
        .then((thumbnail) => (thumbnail.kind === 'thumbnail' ? cache.put({ ...entry, thumbnail: thumbnail.blob, original: image.blob }) : undefined))
        .catch((error: unknown) => console.warn('Glean Images: no thumbnail for a looked-up image', error instanceof Error ? error.name : typeof error));
      return filed;
    }

    const thumbnail = await makeThumbnail(image.blob);
    const original = image.keepOriginal || thumbnail.kind === 'small' ? image.blob : null;
    const thumbnailBlob = thumbnail.kind === 'thumbnail' ? thumbnail.blob : null;
    if (!original && !thumbnailBlob) {
      // Whatever was filed under these lookups showed an image this one replaced.
      await cache.forget(partition, queries);
      return [];
    }
    return cache.put({ ...entry, thumbnail: thumbnailBlob, original });
  };
}

export type KeepImage = ReturnType<typeof createKeepImage>;

/**
 * Thumbnails for the image cache, made in the worker with createImageBitmap and OffscreenCanvas: a
 * service worker (Chrome) has no DOM and no <canvas>, so only these two work in both backgrounds.
 * Firefox's event page is a DOM window and has both too (OffscreenCanvas from Firefox 105, on by
 * default in windows and workers: https://developer.mozilla.org/docs/Web/API/OffscreenCanvas#browser_compatibility),
 * and encodes WebP from Firefox 96; the cache scenario (test/scenarios) checks a WebP thumbnail in each.
 */
import { HEADER_BYTES, imageSize, MAX_DECODE_PIXELS } from './imageSize.ts';
import { withBytes } from './withBytes.ts';

export const THUMBNAIL_MAX_SIDE = 256;

/** The most pixels decoded for a thumbnail (defined beside the header reader, which the popup's previews share). */
export { MAX_DECODE_PIXELS } from './imageSize.ts';

/** Lossy WebP at this quality is a fraction of PNG's size with no visible loss at 256 px. */
const WEBP_QUALITY = 0.8;

export type Thumbnail =
  /** Already within THUMBNAIL_MAX_SIDE: the image is its own thumbnail. */
  | { kind: 'small' }
  | { kind: 'thumbnail'; blob: Blob }
  /** Unknown format, too many pixels, or undecodable: the image still displays, without a thumbnail. */
  | { kind: 'none' };

export async function makeThumbnail(image: Blob): Promise<Thumbnail> {
  const size = await withBytes(image.slice(0, HEADER_BYTES), imageSize);
  if (!size || size.width * size.height > MAX_DECODE_PIXELS) return { kind: 'none' };
  if (Math.max(size.width, size.height) <= THUMBNAIL_MAX_SIDE) return { kind: 'small' };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(image);
  } catch {
    return { kind: 'none' };
  }
  // The bitmap's own size, not the header's: a JPEG's EXIF orientation may have turned it a quarter.
  const scale = THUMBNAIL_MAX_SIDE / Math.max(bitmap.width, bitmap.height);
  const canvas = new OffscreenCanvas(Math.max(1, Math.round(bitmap.width * scale)), Math.max(1, Math.round(bitmap.height * scale)));
  const context = canvas.getContext('2d');
  if (!context) {
    bitmap.close();
    return { kind: 'none' };
  }
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  // A browser that cannot encode WebP encodes PNG instead, as the HTML spec requires
  // (https://html.spec.whatwg.org/multipage/canvas.html#serialising-bitmaps-to-a-file).
  return { kind: 'thumbnail', blob: await canvas.convertToBlob({ type: 'image/webp', quality: WEBP_QUALITY }) };
}

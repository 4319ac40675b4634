/**
 * Small previews for the images the popup lists: the files selected for upload and the jobs in
 * "Recent uploads", shown 48 px square. A full-size image in an <img> costs the popup's main thread
 * its whole file (for a 5 MB PNG, 100-250 ms of loading and image updates there, in a trace of
 * bench/batch.ts), and the garbage collections that follow cost more: twenty of them kept the popup
 * busy for seconds. createImageBitmap reads, decodes and scales the file off the main thread
 * (resizeWidth/resizeHeight: https://html.spec.whatwg.org/multipage/imagebitmap-and-animations.html#dom-createimagebitmap),
 * and the popup keeps only a PNG of a few kilobytes. One image is decoded at a time, so a batch holds
 * one file's pixels, not twenty.
 */
import { imageSize } from '../worker/cache/imageSize.ts';
import { MAX_DECODE_PIXELS, THUMBNAIL_MAX_SIDE } from '../worker/cache/thumbnail.ts';
import { withBytes } from '../worker/cache/withBytes.ts';

/** Twice the 48 px the lists show (public/styles.css `.thumb`, `.selected-item .preview`), for high-density screens. */
export const PREVIEW_SIDE = 96;

/**
 * Enough header for a PNG, GIF or WebP, and for a JPEG whose metadata is modest. A JPEG whose frame
 * header comes later is previewed the old way: the file itself in the <img>.
 */
const PREVIEW_HEADER_BYTES = 64 * 1024;

let decoding: Promise<unknown> = Promise.resolve();

/**
 * An object URL to show `image` small; the caller revokes it. Rejects when the browser cannot draw it
 * (damaged, or more pixels than it decodes). The image itself stands in where a small copy would gain
 * nothing or cannot be made here: an image already small, an SVG (drawn at any size, and refused by
 * createImageBitmap as a Blob), a format whose size the header does not tell (BMP, ICO, AVIF), or more
 * pixels than the cache would decode (the <img> then says whether the browser can draw it at all).
 */
export function makePreview(image: Blob): Promise<string> {
  const made = decoding.then(() => draw(image));
  decoding = made.catch(() => undefined);
  return made;
}

async function draw(image: Blob): Promise<string> {
  const size = await withBytes(image.slice(0, PREVIEW_HEADER_BYTES), imageSize);
  if (!size || size.width * size.height > MAX_DECODE_PIXELS || Math.max(size.width, size.height) <= THUMBNAIL_MAX_SIDE) {
    return URL.createObjectURL(image);
  }
  // The shorter side at PREVIEW_SIDE, as the square shown crops it (`object-fit: cover`). Only the
  // width is given, so the height follows the image as drawn: a JPEG's EXIF orientation may turn it.
  const widest = Math.max(size.width, size.height);
  const resizeWidth = Math.min(widest, Math.max(1, Math.round(PREVIEW_SIDE * Math.max(1, size.width / size.height))));
  const bitmap = await createImageBitmap(image, { resizeWidth, resizeQuality: 'medium' });
  try {
    // Drawn at the size asked for even if the browser ignored it and decoded the whole image.
    const height = Math.max(1, Math.round((resizeWidth * bitmap.height) / bitmap.width));
    const canvas = new OffscreenCanvas(resizeWidth, height);
    const context = canvas.getContext('2d');
    if (!context) return URL.createObjectURL(image);
    context.drawImage(bitmap, 0, 0, resizeWidth, height);
    return URL.createObjectURL(await canvas.convertToBlob({ type: 'image/png' }));
  } finally {
    bitmap.close();
  }
}

/**
 * The previews of images handed to the worker from this popup, by job id: "Recent uploads" shows them
 * without reading and decoding the file again. Kept while the popup is open; the page's end frees them.
 */
const jobPreviews = new Map<string, string>();

export const keepJobPreview = (jobId: string, url: string): void => void jobPreviews.set(jobId, url);
export const jobPreview = (jobId: string): string | undefined => jobPreviews.get(jobId);

/**
 * A small copy of an image, at PREVIEW_SIDE on its shorter side, for the popup's 48 px squares. Runs
 * in the popup's preview worker (src/popup/previewMaker.ts): no DOM, only createImageBitmap and
 * OffscreenCanvas, which a dedicated worker has in both browsers.
 */
import { imageSize, MAX_DECODE_PIXELS } from '../worker/cache/imageSize.ts';
import { withBytes } from '../worker/cache/withBytes.ts';

/** Twice the 48 px the lists show (public/styles.css `.thumb`, `.selected-item .preview`), for high-density screens. */
export const PREVIEW_SIDE = 96;

/** An image no wider or taller than this is shown as it is: a smaller copy would save next to nothing. */
const SMALL_ENOUGH_SIDE = 2 * PREVIEW_SIDE;

/**
 * Enough header for a PNG, GIF or WebP, and for a JPEG whose metadata is modest. A JPEG whose frame
 * header comes later is shown the old way: the file itself in the <img>.
 */
const PREVIEW_HEADER_BYTES = 64 * 1024;

/**
 * The preview worker's answer to an image: a small copy, or 'original': show the image itself, where
 * a small copy would gain nothing or cannot be made here: an image already small, an SVG (drawn at any
 * size, and refused by createImageBitmap as a Blob), a format whose size the header does not tell (BMP,
 * ICO, AVIF), or more pixels than the cache would decode (the <img> then says whether the browser can
 * draw it at all). 'undrawable': the browser cannot draw it.
 */
export type Preview = Blob | 'original' | 'undrawable';

export async function drawPreview(image: Blob): Promise<Blob | 'original'> {
  const size = await withBytes(image.slice(0, PREVIEW_HEADER_BYTES), imageSize);
  if (!size || size.width * size.height > MAX_DECODE_PIXELS || Math.max(size.width, size.height) <= SMALL_ENOUGH_SIDE) return 'original';
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
    if (!context) return 'original';
    context.drawImage(bitmap, 0, 0, resizeWidth, height);
    return await canvas.convertToBlob({ type: 'image/png' });
  } finally {
    bitmap.close();
  }
}

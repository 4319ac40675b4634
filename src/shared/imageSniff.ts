/**
 * What a file really is, from its first bytes rather than its name or the type the browser guessed.
 * Signatures: PNG (RFC 2083), JPEG (FF D8 FF), GIF87a/89a, WebP (RIFF....WEBP), BMP ("BM"),
 * ICO (00 00 01 00), AVIF (ISO BMFF "ftyp" with an avif/avis brand), SVG (an <svg> root in text).
 */
import { t } from './i18n.ts';

export const SNIFF_BYTES = 512;

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  signature.every((byte, i) => bytes[offset + i] === byte);

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

function isSvg(bytes: Uint8Array): boolean {
  // TextDecoder drops a byte-order mark, and trimStart any left (U+FEFF counts as white space).
  const text = new TextDecoder().decode(bytes).trimStart();
  // An XML prolog, doctype or comments may come first; the root element must be <svg.
  const withoutProlog = text.replace(/^(<\?xml[^>]*\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*/i, '');
  return /^<svg[\s>]/i.test(withoutProlog);
}

/** The image's MIME type, or null when the bytes are not one of the image formats Glean takes. */
export function sniffImageType(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(bytes, 4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(bytes, 8, 12))) return 'image/avif';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length > 6 && bytes[4] !== 0) return 'image/x-icon';
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 26) return 'image/bmp';
  if (isSvg(bytes)) return 'image/svg+xml';
  return null;
}

/** The file extension for each type sniffImageType knows: the only ones a saved image may get. */
const FILE_EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/x-icon': 'ico',
  'image/bmp': 'bmp',
  'image/svg+xml': 'svg',
};

/**
 * The type and file extension of an image to save, from its bytes: never from the server's
 * Content-Type, which could name any extension (`image/hta` would save an HTML application).
 * Null when the bytes are none of the known image formats.
 */
export function savedImageType(bytes: Uint8Array): { contentType: string; extension: string } | null {
  const contentType = sniffImageType(bytes);
  const extension = contentType === null ? undefined : FILE_EXTENSIONS[contentType];
  return contentType === null || extension === undefined ? null : { contentType, extension };
}

export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export type ImageCheck = { ok: true; contentType: string } | { ok: false; message: string };

/** Checks a file before anything is sent: empty, too large, unreadable, or not an image. */
export async function checkImageFile(file: Blob, maxBytes = DEFAULT_MAX_UPLOAD_BYTES): Promise<ImageCheck> {
  if (file.size === 0) return { ok: false, message: t('fileEmpty') };
  if (file.size > maxBytes) {
    const limit = +(maxBytes / 1024 / 1024).toFixed(1);
    // Rounded up, so a file just over the limit never reads as "20.0 MB; the limit is 20 MB".
    const size = (Math.ceil((file.size / 1024 / 1024) * 10) / 10).toFixed(1);
    return { ok: false, message: t('fileTooLarge', size, limit) };
  }
  let head: Uint8Array;
  try {
    head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  } catch {
    return { ok: false, message: t('fileUnreadable') };
  }
  const contentType = sniffImageType(head);
  if (!contentType) {
    return { ok: false, message: t('fileNotImage') };
  }
  return { ok: true, contentType };
}

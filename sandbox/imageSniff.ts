/**
 * What uploaded bytes really are, as Glean judges an upload: by their first bytes, not by the
 * Content-Type the client claims. The sandbox stands in for the server, so it keeps its own small
 * copy of the signatures rather than importing the extension's (src/ is the client under test).
 * Signatures: PNG (RFC 2083), JPEG (FF D8 FF), GIF87a/89a, WebP (RIFF....WEBP), BMP ("BM"),
 * ICO (00 00 01 00), AVIF (ISO BMFF "ftyp" with an avif/avis brand), SVG (an <svg> root in text).
 */

const ascii = (bytes: Buffer, from: number, to: number): string => bytes.subarray(from, to).toString('latin1');

function isSvg(bytes: Buffer): boolean {
  const text = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const withoutProlog = text.replace(/^(<\?xml[^>]*\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*/i, '');
  return /^<svg[\s>]/i.test(withoutProlog);
}

/** The media type the bytes are, or undefined when they are none of the formats above. */
export function sniffImage(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(bytes, 4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(bytes, 8, 12))) return 'image/avif';
  if (bytes.subarray(0, 4).equals(Buffer.from([0, 0, 1, 0])) && bytes.length > 6 && bytes[4] !== 0) return 'image/x-icon';
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 26) return 'image/bmp';
  if (isSvg(bytes)) return 'image/svg+xml';
  return undefined;
}

/** Names that mean the same format as the sniffed one. */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/vnd.microsoft.icon': 'image/x-icon',
  'image/x-ms-bmp': 'image/bmp',
};

/** Why the bytes are not what `contentType` claims; undefined when they are. */
export function imageMismatch(contentType: string, bytes: Buffer): string | undefined {
  const claimed = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const actual = sniffImage(bytes);
  if ((ALIASES[claimed] ?? claimed) === actual) return undefined;
  return actual === undefined
    ? `the body is not an image (claimed ${claimed || 'no type'}; expected PNG, JPEG, GIF, WebP, BMP, ICO, AVIF or SVG)`
    : `the body is ${actual}, not the ${claimed} its Content-Type claims`;
}

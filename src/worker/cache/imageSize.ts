/**
 * An image's width and height read from its header bytes, without decoding it: a small file may
 * declare billions of pixels (a decompression bomb), and decoding it would take the worker down.
 * Pure, for PNG, GIF, JPEG and WebP; any other format is "unknown" and is never decoded.
 */

export interface ImageSize {
  width: number;
  height: number;
}

/**
 * The most pixels an image is decoded at, for the cache's thumbnails and the popup's previews alike.
 * A 50-megapixel photo (the largest common cameras) takes about 200 MB once decoded; a bomb of
 * 30,000 × 30,000 pixels would take 3.6 GB and end the worker.
 */
export const MAX_DECODE_PIXELS = 50_000_000;

/** Enough for any real JPEG's segments before its frame header (EXIF and XMP are at most 64 KB
 * each; ICC profiles span a few more segments). A header further in is treated as unknown. */
export const HEADER_BYTES = 1024 * 1024;

const ascii = (bytes: Uint8Array, at: number, text: string): boolean =>
  [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0));

function pngSize(view: DataView): ImageSize | null {
  // Signature, then the IHDR chunk, which the PNG spec requires to come first (§5.6).
  if (view.byteLength < 24 || view.getUint32(0) !== 0x89504e47 || view.getUint32(4) !== 0x0d0a1a0a || view.getUint32(12) !== 0x49484452) return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Bytes in a colour table whose size field (the low three bits of a packed byte) is `packed`. */
const colourTableBytes = (packed: number): number => (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);

/**
 * The larger of the logical screen and the first frame's bottom-right corner (GIF89a spec,
 * https://www.w3.org/Graphics/GIF/spec-gif89a.txt sections 18 and 20). A frame may be far larger than
 * the screen, and decoders differ on what they do then: some grow the image to hold the first frame
 * rather than clip it (the policies are listed in
 * https://github.com/google/wuffs/blob/main/test/data/artificial/gif-frame-out-of-bounds.gif.make-artificial.txt),
 * so a 300 × 300 screen with a 23,000 × 23,000 frame counts as the frame. A header that ends before
 * the first frame's descriptor has no size (unknown, never decoded).
 */
function gifSize(bytes: Uint8Array, view: DataView): ImageSize | null {
  if (view.byteLength < 13 || !(ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a'))) return null;
  const screen = { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  let at = 13 + colourTableBytes(view.getUint8(10));
  while (at < view.byteLength) {
    const introducer = view.getUint8(at);
    if (introducer === 0x2c) {
      // Image descriptor: separator, left, top, width, height (little-endian 16-bit each), packed.
      if (at + 10 > view.byteLength) return null;
      const right = view.getUint16(at + 1, true) + view.getUint16(at + 5, true);
      const bottom = view.getUint16(at + 3, true) + view.getUint16(at + 7, true);
      return { width: Math.max(screen.width, right), height: Math.max(screen.height, bottom) };
    }
    // Anything but an extension (0x21, a label, then data sub-blocks ending in a zero-length one)
    // before the first frame is a trailer or a broken file: nothing to decode.
    if (introducer !== 0x21) return null;
    at += 2;
    while (at < view.byteLength && view.getUint8(at) !== 0) at += 1 + view.getUint8(at);
    at += 1;
  }
  return null;
}

/** Start-of-frame markers: SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (marker: number): boolean => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
/** Markers with no length field: TEM and RST0-RST7. */
const isStandalone = (marker: number): boolean => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

function jpegSize(view: DataView): ImageSize | null {
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
  let at = 2;
  while (at + 9 <= view.byteLength) {
    if (view.getUint8(at) !== 0xff) return null;
    const marker = view.getUint8(at + 1);
    // Any number of 0xFF fill bytes may precede a marker (ITU T.81 §B.1.1.2).
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (isStartOfFrame(marker)) return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    if (marker === 0xd9 || marker === 0xda) return null;
    at += isStandalone(marker) ? 2 : 2 + view.getUint16(at + 2);
  }
  return null;
}

function webpSize(bytes: Uint8Array, view: DataView): ImageSize | null {
  if (view.byteLength < 30 || !ascii(bytes, 0, 'RIFF') || !ascii(bytes, 8, 'WEBP')) return null;
  // https://developers.google.com/speed/webp/docs/riff_container
  if (ascii(bytes, 12, 'VP8X')) {
    const width = 1 + (view.getUint16(24, true) | (view.getUint8(26) << 16));
    const height = 1 + (view.getUint16(27, true) | (view.getUint8(29) << 16));
    return { width, height };
  }
  if (ascii(bytes, 12, 'VP8L') && view.getUint8(20) === 0x2f) {
    const bits = view.getUint32(21, true);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  // Lossy: a frame tag, the start code 9D 01 2A, then 14-bit width and height (RFC 6386 §9.1).
  if (ascii(bytes, 12, 'VP8 ') && view.getUint8(23) === 0x9d && view.getUint8(24) === 0x01 && view.getUint8(25) === 0x2a) {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  return null;
}

/** The size an image declares, or null when its format is not one of the four or its header is cut short. */
export function imageSize(header: Uint8Array): ImageSize | null {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  return pngSize(view) ?? gifSize(header, view) ?? jpegSize(view) ?? webpSize(header, view);
}

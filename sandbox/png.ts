import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

export type Rgb = readonly [r: number, g: number, b: number];

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOUR_TYPE_RGB = 2;

/** A PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** The IHDR chunk's data for `width` × `height` 8-bit RGB pixels. */
export function pngHeader(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(COLOUR_TYPE_RGB, 9);
  // bytes 10..12 (compression, filter method, interlace) stay 0
  return header;
}

/** An 8-bit RGB PNG; every scanline uses filter 0 because size does not matter here. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive integers, got ${width}x${height}`);
  }

  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const at = y * stride + 1 + x * 3;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
    }
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', pngHeader(width, height)),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Diagonal stripes in a colour, period and direction all derived from a hash of the seed, so that
 * two samples are told apart at a glance in a screenshot, not only by their bytes.
 */
export function samplePng(seed: string, width = 64, height = 64): Buffer {
  const hash = createHash('sha256').update(seed).digest();
  const byte = (i: number): number => hash[i] ?? 0;
  const ink: Rgb = [byte(0), byte(1), byte(2)];
  const paper: Rgb = [255 - byte(0), 255 - byte(1), 255 - byte(2)];
  const period = 6 + (byte(3) % 10);
  const rising = byte(4) % 2 === 0;
  return encodePng(width, height, (x, y) => {
    const diagonal = rising ? x + y : x - y + height;
    return diagonal % period < period / 2 ? ink : paper;
  });
}

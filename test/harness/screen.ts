/**
 * What an Xvfb display shows, read from the framebuffer file Xvfb keeps with `-fbdir` (an XWD image
 * it updates in place as it draws): the way to see browser UI that is no window of its own and no
 * web content, such as Chromium's permission prompt (./permissionPrompt.ts).
 * XWD's layout: X11's XWDFile.h (https://gitlab.freedesktop.org/xorg/proto/xorgproto/-/blob/master/include/X11/XWDFile.h).
 */
import { readFile } from 'node:fs/promises';
import type { Rgb } from '../../sandbox/png.ts';

export interface Screen {
  width: number;
  height: number;
  rgb(x: number, y: number): Rgb;
}

/** The header's 32-bit big-endian fields used here, by index (XWDFileHeader). */
const FIELD = { headerSize: 0, width: 4, height: 5, byteOrder: 7, bitsPerPixel: 11, bytesPerLine: 12, colormapEntries: 19 } as const;

/** Parses a 24-bit-colour, 32-bits-per-pixel XWD image, as Xvfb's `-screen 0 WxHx24` writes it. */
export function parseXwd(bytes: Buffer): Screen {
  const field = (index: number): number => bytes.readUInt32BE(index * 4);
  const bitsPerPixel = field(FIELD.bitsPerPixel);
  if (bitsPerPixel !== 32) throw new Error(`expected a framebuffer of 32 bits per pixel, found ${bitsPerPixel}`);
  // The colormap (12 bytes an entry) sits between the header and the pixels.
  const start = field(FIELD.headerSize) + field(FIELD.colormapEntries) * 12;
  const bytesPerLine = field(FIELD.bytesPerLine);
  // Byte order 0 (LSBFirst) stores a pixel 0x00RRGGBB as B, G, R, 0.
  const [r, g, b] = field(FIELD.byteOrder) === 0 ? [2, 1, 0] : [1, 2, 3];
  return {
    width: field(FIELD.width),
    height: field(FIELD.height),
    rgb(x, y) {
      const at = start + y * bytesPerLine + x * 4;
      return [bytes[at + r] ?? 0, bytes[at + g] ?? 0, bytes[at + b] ?? 0];
    },
  };
}

/** What the display shows now. */
export async function readScreen(framebufferFile: string): Promise<Screen> {
  return parseXwd(await readFile(framebufferFile));
}

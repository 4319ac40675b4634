/**
 * Finding Chromium's permission prompt in the display's pixels (test/harness/permissionPrompt.ts) and
 * reading them from Xvfb's framebuffer file (test/harness/screen.ts), on drawn screens: a page with the
 * prompt's two buttons, Allow disabled or enabled, with the colours measured on Chromium 156.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Rgb } from '../../../sandbox/png.ts';
import { allowButton } from '../../../test/harness/permissionPrompt.ts';
import { parseXwd, type Screen } from '../../../test/harness/screen.ts';

const WHITE: Rgb = [255, 255, 255];
const DENY: Rgb = [13, 80, 187];
const ALLOW_DISABLED: Rgb = [229, 229, 229];
const ALLOW_ENABLED: Rgb = [211, 227, 253];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: Rgb;
}

/** A white 320×200 screen with `boxes` drawn on it, the later over the earlier. */
function drawn(boxes: readonly Box[]): Screen {
  return {
    width: 320,
    height: 200,
    rgb: (x, y) => [...boxes].reverse().find((box) => x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height)?.fill ?? WHITE,
  };
}

const deny = (x = 100): Box => ({ x, y: 150, width: 54, height: 30, fill: DENY });
const allow = (fill: Rgb, x = 172): Box => ({ x, y: 150, width: 54, height: 30, fill });

test('no prompt on a plain page, nor on one with a lone blue button', () => {
  assert.equal(allowButton(drawn([])), undefined);
  assert.equal(allowButton(drawn([deny()])), undefined);
  assert.equal(allowButton(drawn([allow(ALLOW_ENABLED)])), undefined, 'an Allow-coloured box without Deny beside it');
});

test('Allow disabled, then enabled, beside Deny', () => {
  assert.equal(allowButton(drawn([deny(), allow(ALLOW_DISABLED)])), 'disabled');
  assert.equal(allowButton(drawn([deny(), allow(ALLOW_ENABLED)])), 'enabled');
});

test('buttons too far apart, or too narrow, are not the prompt', () => {
  assert.equal(allowButton(drawn([deny(20), allow(ALLOW_ENABLED, 200)])), undefined);
  assert.equal(allowButton(drawn([deny(), { ...allow(ALLOW_ENABLED), width: 20 }])), undefined);
});

test('a button running to the screen’s right edge still counts', () => {
  assert.equal(allowButton(drawn([deny(200), allow(ALLOW_ENABLED, 270)])), 'enabled');
});

/** An XWD image as Xvfb writes a 24-bit screen: 100-byte header, a name, a 2-entry colormap, B G R 0 pixels. */
function xwd(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const name = Buffer.from('Xvfb\0');
  const header = Buffer.alloc(100);
  const fields: Record<number, number> = { 0: 100 + name.length, 4: width, 5: height, 7: 0, 11: 32, 12: width * 4, 19: 2 };
  for (const [index, value] of Object.entries(fields)) header.writeUInt32BE(value, Number(index) * 4);
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      pixels.set([b, g, r, 0], (y * width + x) * 4);
    }
  }
  return Buffer.concat([header, name, Buffer.alloc(2 * 12), pixels]);
}

test('an XWD framebuffer reads back pixel for pixel, past its colormap', () => {
  const colour = (x: number, y: number): Rgb => [x * 10, y * 20, x + y];
  const screen = parseXwd(xwd(7, 5, colour));
  assert.deepEqual([screen.width, screen.height], [7, 5]);
  for (const [x, y] of [[0, 0], [6, 4], [3, 2]] as const) assert.deepEqual(screen.rgb(x, y), colour(x, y));
});

test('a framebuffer of another depth is refused with what was found', () => {
  const bytes = xwd(2, 2, () => WHITE);
  bytes.writeUInt32BE(16, 11 * 4);
  assert.throws(() => parseXwd(bytes), /32 bits per pixel, found 16/);
});

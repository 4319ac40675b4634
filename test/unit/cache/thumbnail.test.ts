/** What the thumbnail maker decodes and what it refuses to, told apart by a createImageBitmap spy
 * (Node has neither it nor OffscreenCanvas: the drawing itself is covered in test/e2e/cache.test.ts). */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { encodePng } from '../../../sandbox/png.ts';
import { MAX_DECODE_PIXELS, makeThumbnail } from '../../../src/worker/cache/thumbnail.ts';

const decoded: Blob[] = [];
Object.assign(globalThis, {
  createImageBitmap: async (blob: Blob) => {
    decoded.push(blob);
    throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
  },
});
afterEach(() => {
  decoded.length = 0;
});

const png = (width: number, height: number): Blob => new Blob([new Uint8Array(encodePng(width, height, () => [9, 9, 9]))], { type: 'image/png' });

function bomb(width: number, height: number): Blob {
  const bytes = Buffer.from(encodePng(1, 1, () => [0, 0, 0]));
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return new Blob([bytes], { type: 'image/png' });
}

test('an image within 256 px is its own thumbnail, and is not decoded', async () => {
  assert.deepEqual(await makeThumbnail(png(256, 100)), { kind: 'small' });
  assert.deepEqual(decoded, []);
});

test('a larger image is decoded for its thumbnail; one that fails to decode has none', async () => {
  const image = png(257, 10);
  assert.deepEqual(await makeThumbnail(image), { kind: 'none' });
  assert.deepEqual(decoded, [image]);
});

test('a decompression bomb is never decoded', async () => {
  assert.deepEqual(await makeThumbnail(bomb(100_000, 100_000)), { kind: 'none' });
  const side = Math.floor(Math.sqrt(MAX_DECODE_PIXELS)) + 1;
  assert.deepEqual(await makeThumbnail(bomb(side, side)), { kind: 'none' });
  assert.deepEqual(decoded, []);
});

test('an image whose size its header does not tell is never decoded', async () => {
  const svg = new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="9000" height="9000"/>'], { type: 'image/svg+xml' });
  assert.deepEqual(await makeThumbnail(svg), { kind: 'none' });
  assert.deepEqual(decoded, []);
});

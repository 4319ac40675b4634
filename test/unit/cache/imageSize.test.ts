import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodePng } from '../../../sandbox/png.ts';
import { imageSize } from '../../../src/worker/cache/imageSize.ts';

/** 300 × 2 images as Chromium's canvas encodes them (with an ICC profile, so the JPEG's frame header
 * comes after an APP2 segment and the WebPs are extended VP8X files). */
const CHROMIUM = {
  jpeg: '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACASwDASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAUD/8QAGRABAAIDAAAAAAAAAAAAAAAAAAIENIGx/8QAGAEBAAMBAAAAAAAAAAAAAAAAAAMEBgX/xAAbEQEAAQUBAAAAAAAAAAAAAAAAAQMFMTRxwf/aAAwDAQACEQMRAD8AngKbSAAAAAAAAAAAAAAAANquRHfFEFerllr1sRz2QBG4wAAAAAAAAAAAAAAAD//Z',
  webpLossy:
    'UklGRlwCAABXRUJQVlA4WAoAAAAgAAAAKwEAAQAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDggbgAAAFAEAJ0BKiwBAgA+0WiuUagmJCKjaAEAGglnAMwPwICCFKPN6j99vzNg2yAA/uQBfguFey//4hz2o/LljI6dXbDuHgqBaHwx/M/BDmdT/uvrG/k7+Df/8nGh+DL+Tv4N/1oaTAq/VAzspNWuDIAA',
  webpLossless:
    'UklGRhQCAABXRUJQVlA4WAoAAAAgAAAAKwEAAQAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDhMJQAAAC8rQQAAD/Az5s9kzsz8RwsIs41qdv5U+x9BRP+jqqqqqgYAgBMA',
};

const decode = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'));

/** The same image as a simple (not extended) WebP: its VP8 or VP8L chunk alone in a RIFF. */
function simpleWebp(extended: Uint8Array, chunk: 'VP8 ' | 'VP8L'): Uint8Array {
  const bytes = Buffer.from(extended);
  const body = bytes.subarray(bytes.indexOf(chunk));
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return new Uint8Array(Buffer.concat([header, body]));
}

const SIZE = { width: 300, height: 2 };

test('PNG: the IHDR chunk', () => {
  assert.deepEqual(imageSize(encodePng(300, 2, () => [0, 0, 0])), SIZE);
});

test('GIF: the logical screen', () => {
  // Screen 300 × 2 with a two-colour global table, then a 1 × 1 frame.
  const gif = Buffer.from('GIF89a\x2c\x01\x02\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b', 'latin1');
  assert.deepEqual(imageSize(gif), SIZE);
  assert.deepEqual(imageSize(Buffer.from('GIF87a\x01\x00\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00', 'latin1')), { width: 1, height: 1 });
});

test('JPEG: the frame header after APP segments, fill bytes allowed', () => {
  const jpeg = decode(CHROMIUM.jpeg);
  assert.deepEqual(imageSize(jpeg), SIZE);
  // The same file with fill bytes before its first segment's marker.
  const filled = new Uint8Array([0xff, 0xd8, 0xff, 0xff, ...jpeg.subarray(2)]);
  assert.deepEqual(imageSize(filled), SIZE);
});

test('WebP: extended (VP8X), lossy (VP8) and lossless (VP8L)', () => {
  assert.deepEqual(imageSize(decode(CHROMIUM.webpLossy)), SIZE);
  assert.deepEqual(imageSize(decode(CHROMIUM.webpLossless)), SIZE);
  assert.deepEqual(imageSize(simpleWebp(decode(CHROMIUM.webpLossy), 'VP8 ')), SIZE);
  assert.deepEqual(imageSize(simpleWebp(decode(CHROMIUM.webpLossless), 'VP8L')), SIZE);
});

test('a decompression bomb declares its size in a few bytes', () => {
  const png = Buffer.from(encodePng(1, 1, () => [0, 0, 0]));
  png.writeUInt32BE(100_000, 16);
  png.writeUInt32BE(100_000, 20);
  assert.deepEqual(imageSize(png), { width: 100_000, height: 100_000 });
});

test('other formats and cut-short headers have no size', () => {
  const cases: Record<string, Uint8Array> = {
    svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="2"/>'),
    empty: new Uint8Array(0),
    'PNG signature only': encodePng(1, 1, () => [0, 0, 0]).subarray(0, 8),
    'JPEG before its frame header': decode(CHROMIUM.jpeg).subarray(0, 400),
    'JPEG scan before any frame header': new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 0, 0, 0, 0, 0, 0]),
    'WebP header only': decode(CHROMIUM.webpLossy).subarray(0, 20),
  };
  for (const [name, bytes] of Object.entries(cases)) assert.equal(imageSize(bytes), null, name);
});

/** A GIF89a header: screen, an optional global colour table, extensions, then the first frame's descriptor. */
function gif(screen: [number, number], frame: [number, number, number, number], options: { colourTable?: boolean; comment?: string } = {}): Uint8Array {
  const u16 = (value: number): number[] => [value & 0xff, value >> 8];
  const table = options.colourTable ? [0xf7, 0, 0, ...new Array<number>(3 * 256).fill(0)] : [0x00, 0, 0];
  const comment = options.comment === undefined ? [] : [0x21, 0xfe, options.comment.length, ...Buffer.from(options.comment, 'latin1'), 0x00];
  const graphicControl = [0x21, 0xf9, 4, 0, 0, 0, 0, 0x00];
  const [left, top, width, height] = frame;
  return new Uint8Array([...Buffer.from('GIF89a', 'latin1'), ...u16(screen[0]), ...u16(screen[1]), ...table, ...comment, ...graphicControl, 0x2c, ...u16(left), ...u16(top), ...u16(width), ...u16(height), 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]);
}

test('GIF: a first frame larger than the logical screen counts (a bomb behind a small screen)', () => {
  assert.deepEqual(imageSize(gif([300, 300], [0, 0, 23_000, 23_000])), { width: 23_000, height: 23_000 });
  // Behind a global colour table and a comment extension, and offset from the screen's corner.
  assert.deepEqual(imageSize(gif([300, 300], [100, 50, 23_000, 20], { colourTable: true, comment: 'hello' })), { width: 23_100, height: 300 });
  // A frame inside the screen leaves the screen's size.
  assert.deepEqual(imageSize(gif([300, 2], [0, 0, 10, 2], { colourTable: true })), SIZE);
});

test('GIF: a header cut before the first frame has no size', () => {
  const whole = gif([300, 300], [0, 0, 23_000, 23_000], { colourTable: true });
  assert.equal(imageSize(whole.subarray(0, 13 + 768 + 4)), null);
  assert.equal(imageSize(Buffer.from('GIF89a\x2c\x01\x02\x00\x80\x00\x00;', 'latin1')), null);
});

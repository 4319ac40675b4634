import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import { encodePng, samplePng } from '../../sandbox/png.ts';

interface Chunk {
  type: string;
  data: Buffer;
}

/** Splits a PNG into chunks, checking the signature and every chunk's CRC on the way. */
function chunks(png: Buffer): Chunk[] {
  assert.deepEqual(png.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const found: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(typeAndData), 'chunk CRC');
    found.push({ type: typeAndData.subarray(0, 4).toString('latin1'), data: typeAndData.subarray(4) });
    at += 12 + length;
  }
  return found;
}

test('encodePng writes IHDR, the filtered scanlines and IEND', () => {
  const png = encodePng(3, 2, (x, y) => [x * 10, y * 20, 255]);
  const [header, data, end, ...rest] = chunks(png);
  assert.equal(header?.type, 'IHDR');
  assert.equal(header?.data.readUInt32BE(0), 3);
  assert.equal(header?.data.readUInt32BE(4), 2);
  assert.deepEqual([...(header?.data.subarray(8) ?? [])], [8, 2, 0, 0, 0]);
  assert.equal(data?.type, 'IDAT');
  assert.deepEqual(
    [...inflateSync(data?.data ?? Buffer.alloc(0))],
    [0, 0, 0, 255, 10, 0, 255, 20, 0, 255, 0, 0, 20, 255, 10, 20, 255, 20, 20, 255],
  );
  assert.equal(end?.type, 'IEND');
  assert.equal(end?.data.length, 0);
  assert.equal(rest.length, 0);
});

test('encodePng rejects sizes a PNG cannot have', () => {
  assert.throws(() => encodePng(0, 1, () => [0, 0, 0]), RangeError);
  assert.throws(() => encodePng(1.5, 1, () => [0, 0, 0]), RangeError);
});

test('samplePng is stable per seed, differs between seeds and honours its size', () => {
  assert.deepEqual(samplePng('USER/sample'), samplePng('USER/sample'));
  assert.notDeepEqual(samplePng('USER/sample'), samplePng('USER/'));
  const header = chunks(samplePng('x', 10, 20))[0]?.data;
  assert.equal(header?.readUInt32BE(0), 10);
  assert.equal(header?.readUInt32BE(4), 20);
});

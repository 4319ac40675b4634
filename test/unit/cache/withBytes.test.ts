import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withBytes } from '../../../src/worker/cache/withBytes.ts';

/** A Blob whose ArrayBuffer records being detached (ArrayBuffer.prototype.transfer is ES2024; Node 20 lacks it). */
function watchedBlob(text: string) {
  const detached: number[] = [];
  const blob = {
    async arrayBuffer() {
      const buffer = new TextEncoder().encode(text).buffer as ArrayBuffer & { transfer?: (length?: number) => ArrayBuffer };
      buffer.transfer = (length = 0) => {
        detached.push(length);
        return new ArrayBuffer(length);
      };
      return buffer;
    },
  };
  return { blob, detached };
}

test('the bytes are given to one use, then detached (freed) whatever it answered', async () => {
  const { blob, detached } = watchedBlob('abc');
  const seen: number[] = [];
  const answer = await withBytes(blob, (bytes) => {
    seen.push(...bytes);
    assert.deepEqual(detached, [], 'still there while in use');
    return bytes.length;
  });
  assert.equal(answer, 3);
  assert.deepEqual(seen, [0x61, 0x62, 0x63]);
  assert.deepEqual(detached, [0]);
});

test('they are detached when the use throws too', async () => {
  const { blob, detached } = watchedBlob('abc');
  await assert.rejects(
    withBytes(blob, () => {
      throw new Error('not an image');
    }),
    /not an image/,
  );
  assert.deepEqual(detached, [0]);
});

test('without ArrayBuffer.prototype.transfer the buffer is left to the collector', async () => {
  const blob = new Blob(['abc']);
  assert.equal(await withBytes(blob, (bytes) => bytes.length), 3);
});

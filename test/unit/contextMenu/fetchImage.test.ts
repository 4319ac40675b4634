/** Reading a web image's body within the 20 MB upload limit: a huge or endless response never fills memory. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readBounded } from '../../../src/worker/contextMenu/fetchImage.ts';

const MB = 1024 * 1024;

function streaming(chunks: number, headers: Record<string, string> = {}): { response: Response; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(MB).fill(7));
    },
  });
  return { response: new Response(body, { headers }), pulled: () => pulled };
}

describe('readBounded', () => {
  test('a body within the limit arrives whole, typed as the server said', async () => {
    const { response } = streaming(20, { 'content-type': 'image/png' });
    const blob = await readBounded(response);
    assert.equal(blob.size, 20 * MB);
    assert.equal(blob.type, 'image/png');
  });

  test('a declared length over the limit is refused before any byte is read', async () => {
    const { response, pulled } = streaming(30, { 'content-length': String(30 * MB) });
    await assert.rejects(readBounded(response), /larger than 20 MB/);
    assert.equal(pulled(), 0);
  });

  test('an undeclared body stops being read once it passes the limit', async () => {
    const { response, pulled } = streaming(1_000_000);
    await assert.rejects(readBounded(response), /larger than 20 MB/);
    assert.ok(pulled() <= 23, `read ${pulled()} MB`);
  });
});

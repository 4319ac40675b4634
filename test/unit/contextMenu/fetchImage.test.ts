/** Reading a web image's body within the 20 MB upload limit: a huge or endless response never fills memory. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fetchImage, readBounded } from '../../../src/worker/contextMenu/fetchImage.ts';
import { browserFetch, imageResponse, redirectTo } from '../glean/fakes.ts';

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

describe('fetchImage: redirects', () => {
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const APPROVED = 'https://images.example.com';

  for (const [name, target] of [
    ['to a host the person never approved', 'http://intranet.example/secret.png'],
    ['even within the approved host', `${APPROVED}/moved.png`],
  ] as const) {
    test(`a redirect ${name} is never followed (browser fetch)`, async () => {
      const { fetch, requests } = browserFetch({
        [`${APPROVED}/cat.png`]: () => redirectTo(target),
        [target]: () => imageResponse(PNG),
      });
      await assert.rejects(
        fetchImage(new URL(`${APPROVED}/cat.png`), fetch),
        new RegExp('images\\.example\\.com sent the image on to another address, which Glean Images does not follow without your approval'),
      );
      assert.deepEqual(requests.map((r) => r.url), [`${APPROVED}/cat.png`]);
    });
  }

  test('an image served directly arrives, fetched without cookies or referrer', async () => {
    const { fetch, requests } = browserFetch({ [`${APPROVED}/cat.png`]: () => imageResponse(PNG) });
    const blob = await fetchImage(new URL(`${APPROVED}/cat.png`), fetch);
    assert.equal(blob.size, PNG.length);
    assert.equal(requests[0]?.credentials, 'omit');
    assert.equal(requests[0]?.redirect, 'manual');
  });
});

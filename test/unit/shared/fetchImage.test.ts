/**
 * The page side of an image request in Chrome (src/shared/ask.ts): a network error from the worker (one
 * stopped or replaced while it held the request) is asked once more, and a second one is said in words.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

// The polyfill wraps `chrome` when an extension's runtime is there; a page in Chrome has a service
// worker container whose controller answers its fetches.
const scope = globalThis as unknown as { chrome: Record<string, unknown>; navigator: { serviceWorker?: unknown } };
scope.chrome = { ...scope.chrome, runtime: { id: 'test-extension' } };
Object.defineProperty(globalThis, 'navigator', { value: { ...globalThis.navigator, serviceWorker: { controller: {} } }, configurable: true });
const { fetchImage, RequestFailed } = await import('../../../src/shared/ask.ts');
const { IMAGE_FACTS_HEADER } = await import('../../../src/shared/messages.ts');

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** A fetch that fails with a network error `failures` times, then answers with an image. */
function fetchFailing(failures: number): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  const fake = (async () => {
    calls++;
    if (calls <= failures) throw new TypeError('Failed to fetch');
    const facts = { source: 'glean', contentType: 'image/png', size: 3, isThumbnail: false };
    return new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'image/png', [IMAGE_FACTS_HEADER]: JSON.stringify(facts) } });
  }) as typeof fetch;
  return { fetch: fake, calls: () => calls };
}

test('a network error from the worker is asked once more, and the image comes', async () => {
  const fake = fetchFailing(1);
  globalThis.fetch = fake.fetch;
  const image = await fetchImage('/glean/image?key=abc');
  assert.equal(fake.calls(), 2);
  assert.equal(image.source, 'glean');
  assert.deepEqual(new Uint8Array(await image.blob.arrayBuffer()), new Uint8Array([1, 2, 3]));
});

test('a second network error says in words that the extension did not answer', async () => {
  const fake = fetchFailing(2);
  globalThis.fetch = fake.fetch;
  await assert.rejects(fetchImage('/glean/image?key=abc'), (error: unknown) => {
    assert.ok(error instanceof RequestFailed);
    assert.equal(error.reply.code, 'unexpected');
    assert.equal(error.message, 'The extension did not answer. Reload the page and try again.');
    return true;
  });
  assert.equal(fake.calls(), 2, 'asked twice, not more');
});

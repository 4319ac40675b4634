/**
 * The page side of an image request in Chrome (src/shared/ask.ts): a page the worker controls fetches the
 * image's address; a page it does not control, or whose fetch met a network error (the worker stopped
 * or replaced meanwhile), posts the address to the active worker with a port; no answer is said in words.
 */
import assert from 'node:assert/strict';
import { afterEach, mock, test } from 'node:test';
import type { ImageOverPort } from '../../../src/shared/messages.ts';

// The polyfill wraps `chrome` when an extension's runtime is there (a page in Chrome).
const scope = globalThis as unknown as { chrome: Record<string, unknown> };
scope.chrome = { ...scope.chrome, runtime: { id: 'test-extension' } };
const { fetchImage, RequestFailed } = await import('../../../src/shared/ask.ts');
const { IMAGE_FACTS_HEADER } = await import('../../../src/shared/messages.ts');

const FACTS = { source: 'glean', contentType: 'image/png', size: 3, isThumbnail: false };
const BYTES = new Uint8Array([1, 2, 3]);
const HEADERS = { 'content-type': 'image/png', [IMAGE_FACTS_HEADER]: JSON.stringify(FACTS) };

/** The page's view of the worker: whether it controls the page, and what the active worker does with a posted address. */
function pageWith({ controlled, worker }: { controlled: boolean; worker: (address: string, port: MessagePort) => void }): { posted: string[] } {
  const posted: string[] = [];
  const active = {
    postMessage(message: { address: string }, [port]: MessagePort[]) {
      posted.push(message.address);
      if (port) worker(message.address, port);
    },
  };
  const serviceWorker = { controller: controlled ? {} : null, ready: Promise.resolve({ active }) };
  Object.defineProperty(globalThis, 'navigator', { value: { serviceWorker }, configurable: true });
  return { posted };
}
const answering = (_address: string, port: MessagePort): void => {
  port.postMessage({ status: 200, headers: HEADERS, body: new Blob([BYTES]) } satisfies ImageOverPort);
};

/** A fetch that fails with a network error, or answers with the image; counts its calls. */
function fetchThat(fails: boolean): { calls: () => number } {
  let calls = 0;
  globalThis.fetch = (async () => {
    calls++;
    if (fails) throw new TypeError('Failed to fetch');
    return new Response(BYTES, { headers: HEADERS });
  }) as typeof fetch;
  return { calls: () => calls };
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
  mock.timers.reset();
});

async function assertTheImage(address: string): Promise<void> {
  const image = await fetchImage(address);
  assert.equal(image.source, 'glean');
  assert.deepEqual(new Uint8Array(await image.blob.arrayBuffer()), BYTES);
}

test('a page the worker controls fetches the address, and asks nothing else', async () => {
  const page = pageWith({ controlled: true, worker: answering });
  const fetched = fetchThat(false);
  await assertTheImage('/glean/image?key=abc');
  assert.equal(fetched.calls(), 1);
  assert.deepEqual(page.posted, []);
});

test('a page the worker does not control asks the active worker over a port', async () => {
  const page = pageWith({ controlled: false, worker: answering });
  const fetched = fetchThat(false);
  await assertTheImage('/glean/image?key=abc');
  assert.equal(fetched.calls(), 0, 'its fetch would go past the worker');
  assert.deepEqual(page.posted, ['/glean/image?key=abc']);
});

test('a network error from the fetch asks the active worker over a port, once', async () => {
  const page = pageWith({ controlled: true, worker: answering });
  const fetched = fetchThat(true);
  await assertTheImage('/glean/image?key=abc');
  assert.equal(fetched.calls(), 1);
  assert.deepEqual(page.posted, ['/glean/image?key=abc']);
});

test('no answer over the port within a minute says in words that the extension did not answer', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  pageWith({ controlled: false, worker: () => undefined });
  const asked = fetchImage('/glean/image?key=abc');
  await Promise.resolve();
  mock.timers.tick(60_000);
  await assert.rejects(asked, (error: unknown) => {
    assert.ok(error instanceof RequestFailed);
    assert.equal(error.reply.code, 'unexpected');
    assert.equal(error.message, 'The extension did not answer. Reload the page and try again.');
    return true;
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGleanClient, type GleanConnection } from '../../../src/glean/client.ts';
import { GleanError, type GleanErrorCode } from '../../../src/glean/gleanError.ts';
import { describeGleanError } from '../../../src/glean/userMessages.ts';
import {
  browserFetch,
  fakeFetch,
  hangUntilAborted,
  imageResponse,
  jsonResponse,
  redirectTo,
  settle,
  textResponse,
  type Respond,
} from './fakes.ts';

const TOKEN = 'glean_tok_Secret123+/=';
const BASE = 'https://acme-prod-be.glean.com';
const conn: GleanConnection = { baseUrl: BASE, token: TOKEN };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const NOW = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

/** A client over a fake fetch; `timeouts` collects the ms of each per-attempt timeout, `expire`
 * fires the latest one as AbortSignal.timeout would. */
function setUp(respond: Respond) {
  const { fetch, requests } = fakeFetch(respond);
  const timeouts: number[] = [];
  let latest: AbortController | undefined;
  const client = createGleanClient({
    fetch,
    now: () => NOW,
    timeoutSignal: (ms) => {
      timeouts.push(ms);
      latest = new AbortController();
      return latest.signal;
    },
  });
  const expire = (): void => latest?.abort(new DOMException('The operation timed out.', 'TimeoutError'));
  return { client, requests, timeouts, expire };
}

async function rejection(promise: Promise<unknown>): Promise<GleanError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof GleanError, `expected a GleanError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('getImage: the request', () => {
  it('asks for `key` alone, with the bearer token, image/* and no cookies or cache', async () => {
    const { client, requests } = setUp(() => imageResponse(PNG));
    await client.getImage(conn, { key: 'abc/1 2&x' });
    assert.equal(requests.length, 1);
    const [request] = requests;
    assert.equal(request?.url, `${BASE}/rest/api/v1/images?key=abc%2F1+2%26x`);
    assert.equal(request?.method, 'GET');
    assert.deepEqual(request?.headers, { accept: 'image/*', authorization: `Bearer ${TOKEN}` });
    assert.equal(request?.body, undefined);
    assert.equal(request?.credentials, 'omit');
    assert.equal(request?.cache, 'no-store');
    assert.equal(request?.redirect, 'manual');
  });

  it('sends type, id, ds and cid in that order and leaves out the empty ones', async () => {
    const { client, requests } = setUp(() => imageResponse(PNG));
    await client.getImage(conn, { metadata: { type: 'UGC', id: '', ds: 'confluence', cid: 'c 1' } });
    await client.getImage(conn, { metadata: { type: '', id: 'u-7' } });
    assert.deepEqual(
      requests.map((r) => r.url),
      [`${BASE}/rest/api/v1/images?type=UGC&ds=confluence&cid=c+1`, `${BASE}/rest/api/v1/images?id=u-7`],
    );
  });

  it('adds X-Glean-ActAs and X-Glean-Auth-Type only when set', async () => {
    const { client, requests } = setUp(() => imageResponse(PNG));
    await client.getImage({ ...conn, actAs: 'alex@example.com', authType: 'OAUTH' }, { key: 'k' });
    await client.getImage({ ...conn, actAs: '' }, { key: 'k' });
    assert.deepEqual(requests[0]?.headers, {
      accept: 'image/*',
      authorization: `Bearer ${TOKEN}`,
      'x-glean-actas': 'alex@example.com',
      'x-glean-auth-type': 'OAUTH',
    });
    assert.deepEqual(requests[1]?.headers, { accept: 'image/*', authorization: `Bearer ${TOKEN}` });
  });

  it('uses the lookup timeout', async () => {
    const { client, timeouts } = setUp(() => imageResponse(PNG));
    await client.getImage(conn, { key: 'k' });
    assert.deepEqual(timeouts, [15_000]);
  });
});

describe('getImage: the answer', () => {
  it('returns the image bytes, type and size', async () => {
    const { client } = setUp(() => imageResponse(PNG, 'image/PNG; charset=binary'));
    const image = await client.getImage(conn, { key: 'k' });
    assert.equal(image.contentType, 'image/png');
    assert.equal(image.size, PNG.byteLength);
    assert.deepEqual(new Uint8Array(await image.blob.arrayBuffer()), PNG);
  });

  it('reports an HTML 200 (a sign-in page) as bad-response with its type and an excerpt', async () => {
    const { client } = setUp(() => textResponse('<html>\n  <title>Sign in</title>\n</html>', 200, 'text/html; charset=utf-8'));
    const e = await rejection(client.getImage(conn, { key: 'k' }));
    assert.equal(e.code, 'bad-response');
    assert.equal(e.status, 200);
    assert.equal(e.contentType, 'text/html');
    assert.equal(e.bodyExcerpt, '<html> <title>Sign in</title> </html>');
    assert.equal(e.retryable, false);
    assert.match(e.message, /text\/html instead of an image/);
  });

  it('reports an answer with no content type as bad-response', async () => {
    const { client } = setUp(() => new Response(PNG, { status: 200 }));
    const e = await rejection(client.getImage(conn, { key: 'k' }));
    assert.equal(e.code, 'bad-response');
    assert.equal(e.contentType, '');
  });

  it('reports an empty image as bad-response', async () => {
    const { client } = setUp(() => imageResponse(new Uint8Array(0)));
    const e = await rejection(client.getImage(conn, { key: 'k' }));
    assert.equal(e.code, 'bad-response');
    assert.equal(e.contentType, 'image/png');
  });
});

describe('error mapping', () => {
  const table: Array<[number, GleanErrorCode, boolean]> = [
    [400, 'bad-request', false],
    [401, 'unauthorized', false],
    [403, 'forbidden', false],
    [404, 'not-found', false],
    [413, 'too-large', false],
    [429, 'rate-limited', true],
    [500, 'server-error', true],
    [503, 'server-error', true],
    [418, 'http', false],
  ];
  for (const [status, code, retryable] of table) {
    it(`HTTP ${status} → ${code}`, async () => {
      const { client } = setUp(() => textResponse(`  problem\n\n${status}  `, status, 'text/plain'));
      const e = await rejection(client.getImage(conn, { key: 'k' }));
      assert.equal(e.code, code);
      assert.equal(e.status, status);
      assert.equal(e.retryable, retryable);
      assert.equal(e.contentType, 'text/plain');
      assert.equal(e.bodyExcerpt, `problem ${status}`);
    });
  }

  it('reads the wait from Retry-After', async () => {
    const { client } = setUp(() => textResponse('', 429, 'text/plain', { 'Retry-After': 'Wed, 21 Oct 2015 07:28:45 GMT' }));
    const e = await rejection(client.getImage(conn, { key: 'k' }));
    assert.equal(e.retryAfterMs, 45_000);
  });

  it('reads at most a few KB of an error body', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(1_024).fill(0x61);
    const huge = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 1_000) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const { client } = setUp(() => new Response(huge, { status: 502, headers: { 'Content-Type': 'text/html' } }));
    const e = await rejection(client.getImage(conn, { key: 'k' }));
    assert.equal(e.code, 'server-error');
    assert.ok(pulled <= 4, `pulled ${pulled} KB`);
    assert.equal(e.bodyExcerpt?.length, 200);
  });

  it('turns a fetch TypeError into unreachable (retryable)', async () => {
    const { client } = setUp(() => Promise.reject(new TypeError('fetch failed')));
    const e = await rejection(client.getImage(conn, { key: 'k' }));
    assert.equal(e.code, 'unreachable');
    assert.equal(e.retryable, true);
  });

  it('turns its own timeout into timeout (retryable)', async () => {
    const { client, expire } = setUp(hangUntilAborted);
    const pending = rejection(client.getImage(conn, { key: 'k' }));
    await settle();
    expire();
    const e = await pending;
    assert.equal(e.code, 'timeout');
    assert.equal(e.retryable, true);
  });

  it('turns the caller’s abort into aborted (not retryable)', async () => {
    const { client } = setUp(hangUntilAborted);
    const controller = new AbortController();
    const pending = rejection(client.getImage(conn, { key: 'k' }, { signal: controller.signal }));
    await settle();
    controller.abort();
    const e = await pending;
    assert.equal(e.code, 'aborted');
    assert.equal(e.retryable, false);
  });

  it('sends nothing when the caller has already aborted', async () => {
    const { client, requests } = setUp(() => imageResponse(PNG));
    const e = await rejection(client.getImage(conn, { key: 'k' }, { signal: AbortSignal.abort() }));
    assert.equal(e.code, 'aborted');
    assert.equal(requests.length, 0);
  });

  it('never lets the token into an error, even when the server echoes it', async () => {
    const { client } = setUp(({ headers }) =>
      textResponse(`<p>Invalid credentials: ${headers.authorization} (${encodeURIComponent(TOKEN)})</p>`, 401, 'text/html'),
    );
    const e = await rejection(client.getImage(conn, { key: 'k' }));
    assert.equal(e.code, 'unauthorized');
    for (const text of [e.message, e.bodyExcerpt ?? '']) {
      assert.ok(!text.includes(TOKEN), text);
      assert.ok(!text.includes(encodeURIComponent(TOKEN)), text);
    }
    assert.match(e.bodyExcerpt ?? '', /Bearer \[redacted\]/);
  });
});

describe('uploadImage', () => {
  const image = new Blob([PNG], { type: 'image/png' });

  it('posts the raw bytes with the image’s type and metadata in the query', async () => {
    const { client, requests } = setUp(() => jsonResponse({ url: `${BASE}/rest/api/v1/images?key=K1` }));
    await client.uploadImage({ ...conn, actAs: 'alex@example.com' }, image, { type: 'USER', id: 'u-1', ds: '', cid: undefined });
    const [request] = requests;
    assert.equal(request?.url, `${BASE}/rest/api/v1/uploadimage?type=USER&id=u-1`);
    assert.equal(request?.method, 'POST');
    assert.deepEqual(request?.headers, {
      accept: 'application/json',
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'image/png',
      'x-glean-actas': 'alex@example.com',
    });
    assert.ok(request?.body instanceof Blob, 'the body is the Blob itself: no FormData, no base64 string');
    assert.deepEqual(request?.bodyBytes, PNG);
    assert.equal(request?.credentials, 'omit');
    assert.equal(request?.cache, 'no-store');
  });

  it('gives big files more time: 30 s plus 10 s per MB', async () => {
    const { client, timeouts } = setUp(() => jsonResponse({ url: `${BASE}/x` }));
    await client.uploadImage(conn, new Blob([new Uint8Array(2 * 1_048_576)], { type: 'image/jpeg' }), { type: 'UGC' });
    assert.deepEqual(timeouts, [50_000]);
  });

  it('returns the url and its key, tolerating extra fields', async () => {
    const { client } = setUp(() =>
      jsonResponse({
        url: `${BASE}/rest/api/v1/images?key=abc%3D%3D`,
        metadata: { type: 'SOMETHING_NEW', id: 'u-1', ext: 'png', extra: 1, cid: 7 },
        traceId: 'x',
      }),
    );
    const uploaded = await client.uploadImage(conn, image, { type: 'USER', id: 'u-1' });
    assert.deepEqual(uploaded, {
      url: `${BASE}/rest/api/v1/images?key=abc%3D%3D`,
      key: 'abc==',
    });
  });

  it('resolves a relative url against the instance and leaves out a missing key', async () => {
    const { client } = setUp(() => jsonResponse({ url: '/images/u-1.png' }));
    assert.deepEqual(await client.uploadImage(conn, image, { type: 'USER' }), { url: `${BASE}/images/u-1.png` });
  });

  const badAnswers: Array<[string, () => Response]> = [
    ['invalid JSON', () => textResponse('{"url": ', 200, 'application/json')],
    ['JSON without url', () => jsonResponse({ metadata: { type: 'USER' } })],
    ['a url that is not a string', () => jsonResponse({ url: 42 })],
    ['a javascript: url', () => jsonResponse({ url: 'javascript:alert(1)' })],
    ['an HTML page', () => textResponse('<!doctype html><title>Sign in</title>', 200, 'text/html')],
  ];
  for (const [name, answer] of badAnswers) {
    it(`reports ${name} as bad-response`, async () => {
      const { client } = setUp(answer);
      const e = await rejection(client.uploadImage(conn, image, { type: 'USER' }));
      assert.equal(e.code, 'bad-response');
      assert.equal(e.retryable, false);
    });
  }

  it('refuses a file that is not an image without sending it', async () => {
    const { client, requests } = setUp(() => jsonResponse({ url: `${BASE}/x` }));
    for (const type of ['', 'text/plain', 'application/octet-stream']) {
      const e = await rejection(client.uploadImage(conn, new Blob(['hi'], { type }), { type: 'USER' }));
      assert.equal(e.code, 'bad-request');
      assert.equal(e.status, undefined);
    }
    assert.equal(requests.length, 0);
  });

  it('maps upload failures like lookups', async () => {
    const { client } = setUp(() => textResponse('', 503, 'text/plain', { 'retry-after-ms': '900' }));
    const e = await rejection(client.uploadImage(conn, image, { type: 'USER' }));
    assert.equal(e.code, 'server-error');
    assert.equal(e.retryAfterMs, 900);
  });
});

describe('redirects: none is followed, so nothing custom and no upload body crosses origins', () => {
  const OTHER = 'https://evil-be.glean.com';
  const withIdentity: GleanConnection = { ...conn, actAs: 'alex@example.com', authType: 'OAUTH' };
  const clientOver = (fetch: typeof globalThis.fetch) => createGleanClient({ fetch, now: () => NOW, timeoutSignal: () => new AbortController().signal });
  const sentTo = (requests: Array<{ url: string }>, origin: string) => requests.filter((r) => new URL(r.url).origin === origin);

  it('a lookup redirected to another origin sends nothing there and says so (browser fetch)', async () => {
    const { fetch, requests } = browserFetch({
      [`${BASE}/rest/api/v1/images`]: () => redirectTo(`${OTHER}/steal`),
      [`${OTHER}/steal`]: () => imageResponse(PNG),
    });
    const error = await rejection(clientOver(fetch).getImage(withIdentity, { key: 'k' }));
    assert.deepEqual(sentTo(requests, OTHER), [], 'X-Glean-ActAs went to another origin');
    assert.equal(error.code, 'redirected');
    assert.equal(error.retryable, false);
    assert.equal(describeGleanError(error, 'lookup'), 'Glean answered with a redirect to another address, which the extension does not follow, so that your token and identity are only ever sent to your Glean server. Check the Glean instance in Options.');
  });

  it('an upload answered with a 307 sends its bytes nowhere else and says so (browser fetch)', async () => {
    const { fetch, requests } = browserFetch({
      [`${BASE}/rest/api/v1/uploadimage`]: () => redirectTo(`${OTHER}/upload`, 307),
      [`${OTHER}/upload`]: () => jsonResponse({ url: `${OTHER}/i?key=x` }),
    });
    const error = await rejection(clientOver(fetch).uploadImage(withIdentity, new Blob([PNG], { type: 'image/png' }), { type: 'UGC' }));
    assert.deepEqual(sentTo(requests, OTHER), [], 'the image went to another origin');
    assert.equal(requests.length, 1);
    assert.equal(error.code, 'redirected');
    assert.match(describeGleanError(error, 'upload'), /redirect.*Check the Glean instance in Options, then retry\./);
  });

  it('an upload follows no redirect, not even to its own origin', async () => {
    const { fetch, requests } = fakeFetch(() => redirectTo(`${BASE}/rest/api/v1/uploadimage?again=1`, 308));
    const error = await rejection(clientOver(fetch).uploadImage(conn, new Blob([PNG], { type: 'image/png' }), { type: 'UGC' }));
    assert.equal(requests.length, 1);
    assert.equal(error.code, 'redirected');
    assert.equal(error.status, 308);
    assert.match(error.message, /no redirect is followed/);
  });

  it('a lookup follows no redirect, not even a visible one to its own origin', async () => {
    // A fetch that shows a manual redirect's Location (as Node's does).
    const { fetch, requests } = fakeFetch(() => redirectTo('/rest/api/v2/images?key=k', 301));
    const error = await rejection(clientOver(fetch).getImage(withIdentity, { key: 'k' }));
    assert.equal(error.code, 'redirected');
    assert.equal(error.status, 301);
    assert.equal(requests.length, 1);
    assert.ok(requests.every((r) => r.redirect === 'manual'));
  });
});

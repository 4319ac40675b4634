import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { loadContract } from '../../sandbox/contract.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server.ts';

/** A broken fault would leave a request unanswered forever; fail instead of hanging the run. */
const BOUNDED = { timeout: 15_000 };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bytes the sandbox takes for a PNG (it sniffs uploads): the signature, then `size` bytes of `fill`. */
const pngBytes = (size = 5, fill = 1): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.concat([PNG_SIGNATURE, Buffer.alloc(size, fill)]));

async function open(t: TestContext, options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: 0, ...options });
  t.after(() => sandbox.close());
  return sandbox;
}

function auth(sandbox: Sandbox): Record<string, string> {
  return { authorization: `Bearer ${sandbox.token}` };
}

function getImage(sandbox: Sandbox, query: string, headers = auth(sandbox)): Promise<Response> {
  return fetch(`${sandbox.url}/rest/api/v1/images?${query}`, { headers });
}

function upload(
  sandbox: Sandbox,
  query: string,
  body: Uint8Array<ArrayBuffer> | undefined,
  contentType = 'image/png',
): Promise<Response> {
  const headers = { ...auth(sandbox), ...(body === undefined ? {} : { 'content-type': contentType }) };
  return fetch(`${sandbox.url}/rest/api/v1/uploadimage?${query}`, { method: 'POST', headers, body });
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

interface ViolationBody {
  error: string;
  violations: { at: string; message: string }[];
}

async function violationsOf(response: Response): Promise<ViolationBody> {
  assert.equal(response.status, 400);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = (await response.json()) as ViolationBody;
  assert.equal(body.error, 'contract violation');
  return body;
}

/** The transport error behind undici's generic "fetch failed". */
async function failureOf(request: Promise<Response>): Promise<string> {
  const error: unknown = await request.then(
    (response) => assert.fail(`expected no answer, got ${response.status}`),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof TypeError, `expected a fetch TypeError, got ${String(error)}`);
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${'code' in cause ? String(cause.code) : ''} ${cause.message}` : String(cause);
}

test('a seeded sample is served as a PNG, and every sample differs', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const response = await getImage(sandbox, 'type=USER&id=sample');
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'image/png');
  const bytes = await bytesOf(response);
  assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE);
  const sample = sandbox.samples.find(({ metadata }) => metadata.type === 'USER' && metadata.id === 'sample');
  assert.ok(sample);
  assert.deepEqual(bytes, sample.bytes);

  assert.equal(sandbox.samples.length, 16);
  const types = new Set(sandbox.samples.map(({ metadata }) => metadata.type));
  assert.deepEqual([...types], ['BACKGROUND', 'FEEDBACK', 'HEADER', 'ICON', 'LOGO', 'UGC', 'USER', 'DOCUMENT_IMAGE']);
  const distinct = new Set(sandbox.samples.map(({ bytes: sampleBytes }) => sampleBytes.toString('base64')));
  assert.equal(distinct.size, 16);

  const withoutId = await getImage(sandbox, 'type=LOGO');
  const logo = sandbox.samples.find(({ metadata }) => metadata.type === 'LOGO' && metadata.id === undefined);
  assert.deepEqual(await bytesOf(withoutId), logo?.bytes);
});

test('metadata matches exactly: an unknown image is a text 404', BOUNDED, async (t) => {
  const sandbox = await open(t);
  for (const query of ['type=USER&id=someone', 'type=USER&id=sample&ds=extra', 'key=no-such-key']) {
    const response = await getImage(sandbox, query);
    assert.equal(response.status, 404, query);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await response.text(), 'image not found');
  }
});

test('a missing or wrong bearer token gets 401', BOUNDED, async (t) => {
  const sandbox = await open(t, { token: 'right-token' });
  assert.equal(sandbox.token, 'right-token');
  assert.equal((await getImage(sandbox, 'type=USER', {})).status, 401);
  assert.equal((await getImage(sandbox, 'type=USER', { authorization: 'Bearer wrong-token' })).status, 401);
  assert.equal((await getImage(sandbox, 'type=USER', { authorization: 'right-token' })).status, 401);
  assert.equal((await getImage(sandbox, 'type=USER', { authorization: 'Bearer right-token' })).status, 200);
});

test('the default token is random and sandbox-prefixed', BOUNDED, async (t) => {
  const [one, two] = await Promise.all([open(t), open(t)]);
  assert.match(one.token, /^sandbox-[0-9a-f]{16}$/);
  assert.notEqual(one.token, two.token);
});

test('query parameters outside the contract are violations that name the parameter', BOUNDED, async (t) => {
  const lines: string[] = [];
  const sandbox = await open(t, { log: (line) => lines.push(line) });
  const body = await violationsOf(await getImage(sandbox, 'type=NOPE&colour=red'));
  const at = body.violations.map((violation) => violation.at).sort();
  assert.deepEqual(at, ['query.colour', 'query.type']);
  assert.match(body.violations.find((v) => v.at === 'query.type')?.message ?? '', /USER/);
  assert.ok(lines.some((line) => line.includes('query.type') && line.includes('-> 400')), lines.join('\n'));
});

test('X-Glean-ActAs must be an email, as the contract says', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const actingAs = (email: string): Record<string, string> => ({ ...auth(sandbox), 'X-Glean-ActAs': email });
  const bad = await violationsOf(await getImage(sandbox, 'type=USER', actingAs('not-an-email')));
  assert.deepEqual(bad.violations.map((v) => v.at), ['header.x-glean-actas']);
  const good = await getImage(sandbox, 'type=USER', actingAs('someone@example.com'));
  assert.equal(good.status, 200);
  await sandbox.waitForRequests(2);
  assert.equal(sandbox.requests[1]?.headers['x-glean-actas'], 'someone@example.com');
});

test('an unknown path or method is a contract violation', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const path = await violationsOf(await fetch(`${sandbox.url}/rest/api/v1/pictures`, { headers: auth(sandbox) }));
  assert.equal(path.violations[0]?.at, 'path');
  const deleted = fetch(`${sandbox.url}/rest/api/v1/images`, { method: 'DELETE', headers: auth(sandbox) });
  const method = await violationsOf(await deleted);
  assert.equal(method.violations[0]?.at, 'method');
});

test('an upload needs a non-empty image/* body', BOUNDED, async (t) => {
  const sandbox = await open(t);
  for (const body of [undefined, new Uint8Array(0)]) {
    const response = await violationsOf(await upload(sandbox, 'type=USER', body));
    assert.deepEqual(response.violations.map((v) => v.at), ['requestBody']);
  }
  const wrongType = await violationsOf(await upload(sandbox, 'type=USER', Buffer.from('{}'), 'application/json'));
  assert.deepEqual(wrongType.violations.map((v) => v.at), ['header.content-type']);
  assert.match(wrongType.violations[0]?.message ?? '', /image\/\*/);
});

test('upload round trip: by key and by metadata, with the contract-shaped answer', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const image = Buffer.from([...PNG_SIGNATURE, 1, 2, 3, 4, 5]);
  const response = await upload(sandbox, 'type=UGC&id=post-1&ds=wiki&cid=c9', image);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/json');
  const answer: unknown = await response.json();

  const contract = await loadContract(() => true);
  assert.deepEqual(contract.responseViolations('uploadimage', 200, answer), []);
  assert.notDeepEqual(contract.responseViolations('uploadimage', 200, { metadata: { type: 'UGC' } }), []);

  const { url, metadata } = answer as { url: string; metadata: unknown };
  assert.deepEqual(metadata, { type: 'UGC', id: 'post-1', ds: 'wiki', cid: 'c9', ext: 'png' });
  const key = new URL(url).searchParams.get('key');
  assert.ok(key);
  assert.ok(url.startsWith(`${sandbox.url}/rest/api/v1/images?`), url);

  const byKey = await fetch(url, { headers: auth(sandbox) });
  assert.equal(byKey.status, 200);
  assert.equal(byKey.headers.get('content-type'), 'image/png');
  assert.deepEqual(await bytesOf(byKey), image);

  const byMetadata = await getImage(sandbox, 'type=UGC&id=post-1&ds=wiki&cid=c9');
  assert.deepEqual(await bytesOf(byMetadata), image);

  const [recorded] = await sandbox.waitForRequests(1, { operation: 'uploadimage' });
  assert.equal(recorded?.bodyBytes, image.length);
  assert.equal(recorded?.bodySha256, createHash('sha256').update(image).digest('hex'));
  assert.deepEqual(recorded?.query, { type: 'UGC', id: 'post-1', ds: 'wiki', cid: 'c9' });
  assert.equal(recorded?.uploadedUrl, url, 'the log names the URL the answer gave');
});

test('a newer upload replaces a sample for its metadata, and keeps its own content type', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
  const answer = (await (await upload(sandbox, 'type=USER&id=sample', svg, 'image/svg+xml')).json()) as {
    metadata: { ext?: string };
  };
  assert.equal(answer.metadata.ext, 'svg');
  const response = await getImage(sandbox, 'type=USER&id=sample');
  assert.equal(response.headers.get('content-type'), 'image/svg+xml');
  assert.deepEqual(await bytesOf(response), svg);
});

test('stored uploads beyond maxStoredBytes evict the oldest, never the samples', BOUNDED, async (t) => {
  const sandbox = await open(t, { maxStoredBytes: 1000 });
  const first = (await (await upload(sandbox, 'type=UGC&id=1', pngBytes(600, 1))).json()) as { url: string };
  const second = (await (await upload(sandbox, 'type=UGC&id=2', pngBytes(600, 2))).json()) as { url: string };
  assert.equal((await fetch(first.url, { headers: auth(sandbox) })).status, 404);
  assert.equal((await fetch(second.url, { headers: auth(sandbox) })).status, 200);
  assert.equal((await getImage(sandbox, 'type=UGC&id=1')).status, 404);
  assert.equal((await getImage(sandbox, 'type=UGC&id=sample')).status, 200);
});

// 75 MB sent, read, hashed and checked against the contract: 1 to 3 s on a quiet machine, 16 s was
// seen with three test files at a time beside other browsers; the bound only catches a hang.
test('uploads of 25 MB pass, over 50 MB get 413', { timeout: 60_000 }, async (t) => {
  const sandbox = await open(t);
  assert.equal((await upload(sandbox, 'type=UGC&id=big', pngBytes(25 * 1024 * 1024, 7))).status, 200);
  assert.equal((await upload(sandbox, 'type=UGC&id=huge', pngBytes(50 * 1024 * 1024, 7))).status, 413);
});

test('a 503 fault applies to the next two requests, then answers normally', BOUNDED, async (t) => {
  const sandbox = await open(t);
  sandbox.fault({ status: 503, times: 2 });
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await getImage(sandbox, 'type=USER&id=sample')).status);
  assert.deepEqual(statuses, [503, 503, 200]);
  assert.deepEqual(sandbox.requests.map((r) => r.status), [503, 503, 200]);
});

test('faults send Retry-After in seconds or as a date, and retry-after-ms', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const date = new Date(Date.now() + 60_000).toUTCString();
  sandbox.fault({ status: 429, retryAfter: '7' });
  sandbox.fault({ status: 503, retryAfter: date });
  sandbox.fault({ status: 429, retryAfterMs: 1500 });
  const first = await getImage(sandbox, 'type=USER');
  assert.equal(first.status, 429);
  assert.equal(first.headers.get('retry-after'), '7');
  const second = await getImage(sandbox, 'type=USER');
  assert.equal(second.status, 503);
  assert.equal(second.headers.get('retry-after'), date);
  const third = await getImage(sandbox, 'type=USER');
  assert.equal(third.headers.get('retry-after-ms'), '1500');
  assert.equal(third.headers.get('retry-after'), null);
});

test('a fault can be limited to one operation, and can be a 200 that is not an image', BOUNDED, async (t) => {
  const sandbox = await open(t);
  sandbox.fault({ status: 200, body: '<html>oops</html>', contentType: 'text/html', operation: 'uploadimage' });
  assert.equal((await getImage(sandbox, 'type=USER')).headers.get('content-type'), 'image/png');
  const response = await upload(sandbox, 'type=USER', pngBytes());
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/html');
  assert.equal(await response.text(), '<html>oops</html>');
  assert.equal((await upload(sandbox, 'type=USER', pngBytes())).headers.get('content-type'), 'application/json');
});

test('a fault that answers an upload 200 with invalid JSON is logged like any other, with no uploaded URL', BOUNDED, async (t) => {
  const sandbox = await open(t);
  sandbox.fault({ status: 200, body: '{"url": ', contentType: 'application/json', operation: 'uploadimage' });
  assert.equal(await (await upload(sandbox, 'type=USER', pngBytes())).text(), '{"url": ');
  const [recorded] = await sandbox.waitForRequests(1, { operation: 'uploadimage' });
  assert.equal(recorded?.status, 200);
  assert.equal(recorded?.uploadedUrl, undefined);
});

test('clearFaults drops pending faults', BOUNDED, async (t) => {
  const sandbox = await open(t);
  sandbox.fault({ status: 500, times: 5 });
  sandbox.clearFaults();
  assert.equal((await getImage(sandbox, 'type=USER')).status, 200);
});

test('a reset fault destroys the connection without an answer, and is recorded', BOUNDED, async (t) => {
  const sandbox = await open(t);
  sandbox.fault({ reset: true });
  assert.match(await failureOf(getImage(sandbox, 'type=USER')), /ECONNRESET|closed|reset/i);
  assert.equal(sandbox.requests[0]?.status, 'reset');
  assert.equal((await getImage(sandbox, 'type=USER')).status, 200);
});

test('a hang fault never answers until the sandbox goes offline', BOUNDED, async (t) => {
  const sandbox = await open(t);
  sandbox.fault({ hang: true, operation: 'images' });
  const pending = getImage(sandbox, 'type=USER');
  const [hung] = await sandbox.waitForRequests(1, { operation: 'images' });
  assert.equal(hung?.status, 'hang');
  // The hang holds only its own connection: other requests still get answers meanwhile.
  assert.equal((await upload(sandbox, 'type=USER', pngBytes())).status, 200);
  await sandbox.goOffline();
  await failureOf(pending);
});

test('a delay fault answers normally after the delay', BOUNDED, async (t) => {
  const sandbox = await open(t);
  sandbox.fault({ delayMs: 300 });
  const started = performance.now();
  const response = await getImage(sandbox, 'type=USER&id=sample');
  assert.ok(performance.now() - started >= 295, 'answered before the delay');
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'image/png');
});

test('offline refuses connections; online listens again on the same port', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const { port, url } = sandbox;
  assert.equal((await getImage(sandbox, 'type=USER')).status, 200);
  await sandbox.goOffline();
  assert.equal(sandbox.online, false);
  assert.match(await failureOf(getImage(sandbox, 'type=USER')), /ECONNREFUSED/);
  await sandbox.goOnline();
  assert.equal(sandbox.port, port);
  assert.equal(sandbox.url, url);
  assert.equal((await getImage(sandbox, 'type=USER')).status, 200);
});

test('the control endpoint queues and clears faults and lists requests', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const queued = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify({ status: 502, times: 1, retryAfter: '3', operation: 'images' }),
  });
  assert.equal(queued.status, 200);
  const faulted = await getImage(sandbox, 'type=USER');
  assert.equal(faulted.status, 502);
  assert.equal(faulted.headers.get('retry-after'), '3');

  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ status: 500, times: 3 }) });
  assert.equal((await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })).status, 200);
  assert.equal((await getImage(sandbox, 'type=USER')).status, 200);

  const twoKinds = JSON.stringify({ status: 503, reset: true });
  const invalid = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: twoKinds });
  assert.equal(invalid.status, 400);
  assert.match(((await invalid.json()) as { error: string }).error, /exactly one/);

  const listed = (await (await fetch(`${sandbox.url}/_sandbox/requests`)).json()) as { status: number; path: string }[];
  assert.deepEqual(listed.map((r) => [r.path, r.status]), [
    ['/rest/api/v1/images', 502],
    ['/rest/api/v1/images', 200],
  ]);
});

test('the control endpoint takes the sandbox offline for a while', BOUNDED, async (t) => {
  const lines: string[] = [];
  const sandbox = await open(t, { log: (line) => lines.push(line) });
  const response = await fetch(`${sandbox.url}/_sandbox/offline?seconds=0.3`, { method: 'POST' });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { offlineForSeconds: 0.3 });
  assert.match(await failureOf(getImage(sandbox, 'type=USER')), /ECONNREFUSED/);
  const started = performance.now();
  await sandbox.whenOnline();
  assert.ok(performance.now() - started >= 200, 'came back too early');
  assert.equal((await getImage(sandbox, 'type=USER')).status, 200);
  assert.ok(lines.some((line) => line.startsWith('back online')), lines.join('\n'));
});

test('waitForRequests resolves on the count of one operation and rejects on timeout', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const twoImages = sandbox.waitForRequests(2, { operation: 'images', timeoutMs: 5000 });
  await upload(sandbox, 'type=USER', pngBytes());
  await getImage(sandbox, 'type=USER');
  await fetch(`${sandbox.url}/_sandbox/requests`);
  await getImage(sandbox, 'type=NOPE');
  const seen = await twoImages;
  assert.deepEqual(seen.map((r) => [r.operation, r.status]), [
    ['images', 200],
    ['images', 400],
  ]);
  assert.equal(sandbox.requests.length, 3, 'control requests are not recorded');
  await assert.rejects(sandbox.waitForRequests(3, { operation: 'uploadimage', timeoutMs: 50 }), /saw 1/);
});

/** The sandbox is as strict as Glean: contract before faults, its own answers checked, global tokens need act-as, bytes must be what they claim. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { loadContract } from '../../sandbox/contract.ts';
import { imageMismatch, sniffImage } from '../../sandbox/imageSniff.ts';
import { jsonReply, type Reply } from '../../sandbox/reply.ts';
import { guardReply } from '../../sandbox/responseCheck.ts';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';

const BOUNDED = { timeout: 15_000 };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

async function open(t: TestContext): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: 0 });
  t.after(() => sandbox.close());
  return sandbox;
}

const images = (sandbox: Sandbox, query: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${sandbox.url}/rest/api/v1/images?${query}`, { headers: { authorization: `Bearer ${sandbox.token}`, ...headers } });

const upload = (sandbox: Sandbox, contentType: string, body: Buffer): Promise<Response> =>
  fetch(`${sandbox.url}/rest/api/v1/uploadimage?type=UGC`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': contentType },
    body: new Uint8Array(body),
  });

test('a request that breaks the contract gets its 400 even when a fault waits, and the fault stays for the next request', BOUNDED, async (t) => {
  const sandbox = await open(t);
  for (const fault of [{ status: 503 }, { reset: true as const }, { hang: true as const }]) {
    sandbox.clearFaults();
    sandbox.fault({ ...fault, operation: 'images' });
    const refused = await images(sandbox, 'type=NOT_A_TYPE');
    assert.equal(refused.status, 400, `with a ${JSON.stringify(fault)} fault waiting`);
    const body = (await refused.json()) as { error: string; violations: { at: string }[] };
    assert.equal(body.error, 'contract violation');
    assert.deepEqual(body.violations.map((v) => v.at), ['query.type']);
  }
  const recorded = sandbox.requests.filter((r) => r.query.type === 'NOT_A_TYPE');
  assert.equal(recorded.length, 3);
  assert.ok(recorded.every((r) => r.status === 400 && r.violations?.[0]?.at === 'query.type'), 'each violation is recorded');
  // A violation does not use a fault up: the next valid request meets it.
  sandbox.clearFaults();
  sandbox.fault({ status: 503, operation: 'images' });
  assert.equal((await images(sandbox, 'type=NOT_A_TYPE')).status, 400);
  assert.equal((await images(sandbox, 'type=USER')).status, 503);
  assert.equal((await images(sandbox, 'type=USER')).status, 200);
  assert.equal(sandbox.requests.at(-1)?.violations, undefined, 'a valid request records no violations');
});

test('an upload with a broken Content-Type is a violation even when a fault would have answered 200', BOUNDED, async (t) => {
  const sandbox = await open(t);
  sandbox.fault({ status: 200, body: '{}', contentType: 'application/json', operation: 'uploadimage' });
  const response = await upload(sandbox, 'application/json', PNG);
  assert.equal(response.status, 400);
  assert.match(await response.text(), /header\.content-type/);
});

test('the sandbox checks its own answers: one that strays from the contract becomes a logged 500', async () => {
  const contract = await loadContract(() => true);
  const lines: string[] = [];
  const log = (line: string): void => void lines.push(line);
  const good = jsonReply(200, { url: 'http://127.0.0.1/rest/api/v1/images?key=k', metadata: { type: 'UGC' } });
  assert.equal(guardReply(contract, 'uploadimage', good, log), good);
  const image: Reply = { status: 200, headers: { 'content-type': 'image/png' }, body: PNG };
  assert.equal(guardReply(contract, 'images', image, log), image);
  assert.deepEqual(lines, []);

  const cases: [string, Reply, RegExp][] = [
    ['uploadimage', jsonReply(200, { metadata: { type: 'UGC' } }), /response\.url is required/],
    ['uploadimage', jsonReply(200, { url: 7 }), /response\.url must be string/],
    ['uploadimage', { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{not json') }, /response\.body is not JSON/],
    ['images', { status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from('<p>') }, /"text\/html" is not one of image\/\*/],
  ];
  for (const [operation, reply, says] of cases) {
    const guarded = guardReply(contract, operation, reply, log);
    assert.equal(guarded.status, 500, `${operation} ${reply.body.toString()}`);
    assert.match(guarded.body.toString(), /^sandbox bug: /);
    assert.match(guarded.body.toString(), says);
  }
  assert.equal(lines.length, cases.length, 'each bug is logged');
});

test('a global token without act-as gets 400 saying act-as is required; with it (either header name) the image', BOUNDED, async (t) => {
  const sandbox = await open(t);
  const global = { authorization: `Bearer ${sandbox.globalToken}` };
  assert.notEqual(sandbox.globalToken, sandbox.token);
  const refused = await fetch(`${sandbox.url}/rest/api/v1/images?type=USER&id=sample`, { headers: global });
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /X-Glean-ActAs.*act-as is required/);
  const refusedUpload = await fetch(`${sandbox.url}/rest/api/v1/uploadimage?type=UGC`, { method: 'POST', headers: { ...global, 'content-type': 'image/png' }, body: new Uint8Array(PNG) });
  assert.equal(refusedUpload.status, 400);

  for (const header of ['X-Glean-ActAs', 'X-Scio-Actas']) {
    const allowed = await fetch(`${sandbox.url}/rest/api/v1/images?type=USER&id=sample`, { headers: { ...global, [header]: 'alex@example.com' } });
    assert.equal(allowed.status, 200, header);
    assert.equal(allowed.headers.get('content-type'), 'image/png');
  }
  assert.deepEqual(sandbox.requests.map((r) => r.credential), ['global-token', 'global-token', 'global-token', 'global-token']);
  // A user-scoped token needs no act-as.
  assert.equal((await images(sandbox, 'type=USER&id=sample')).status, 200);
});

/** One small sample of each format the sandbox (and Glean) takes. */
const SAMPLES: Record<string, Buffer> = {
  'image/png': PNG,
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]),
  'image/gif': Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1'),
  'image/webp': Buffer.from('RIFF\x1a\x00\x00\x00WEBPVP8L', 'latin1'),
  'image/bmp': Buffer.concat([Buffer.from('BM', 'latin1'), Buffer.alloc(30)]),
  'image/x-icon': Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0]),
  'image/avif': Buffer.from('\x00\x00\x00\x1cftypavif\x00\x00\x00\x00', 'latin1'),
  'image/svg+xml': Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
};

test('sniffImage names each format from its first bytes, and nothing else', () => {
  for (const [type, bytes] of Object.entries(SAMPLES)) assert.equal(sniffImage(bytes), type);
  for (const other of ['<html><body>', '%PDF-1.7', 'MZ\x90\x00', '']) assert.equal(sniffImage(Buffer.from(other, 'latin1')), undefined, other);
  assert.equal(imageMismatch('image/jpg', SAMPLES['image/jpeg'] ?? PNG), undefined, 'image/jpg is JPEG');
  assert.equal(imageMismatch('image/vnd.microsoft.icon', SAMPLES['image/x-icon'] ?? PNG), undefined);
  assert.equal(imageMismatch('image/png; charset=binary', PNG), undefined);
});

test('an upload whose bytes are not the image type it claims gets 400 and is not stored', BOUNDED, async (t) => {
  const sandbox = await open(t);
  for (const [type, bytes] of Object.entries(SAMPLES)) assert.equal((await upload(sandbox, type, bytes)).status, 200, type);

  const cases: [string, Buffer, RegExp][] = [
    ['image/jpeg', PNG, /the body is image\/png, not the image\/jpeg its Content-Type claims/],
    ['image/png', Buffer.from('<html><script>alert(1)</script>'), /the body is not an image \(claimed image\/png/],
    ['image/gif', SAMPLES['image/svg+xml'] ?? PNG, /the body is image\/svg\+xml, not the image\/gif/],
    ['image/tiff', Buffer.from('II*\x00', 'latin1'), /the body is not an image \(claimed image\/tiff/],
  ];
  for (const [type, bytes, says] of cases) {
    const response = await upload(sandbox, type, bytes);
    assert.equal(response.status, 400, type);
    const body = (await response.json()) as { violations: { at: string; message: string }[] };
    assert.equal(body.violations[0]?.at, 'requestBody');
    assert.match(body.violations[0]?.message ?? '', says);
  }
  // Nothing refused was stored: the last good UGC upload (the SVG) is still what type=UGC serves.
  const stored = await images(sandbox, 'type=UGC');
  assert.equal(stored.headers.get('content-type'), 'image/svg+xml');
});

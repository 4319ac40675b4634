/** Firefox's image answer (src/worker/serveImageByMessage.ts): the body stays behind a blob: URL, for a while. */
import assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import { mock, test } from 'node:test';
import { serveByMessage } from '../../../src/worker/serveImageByMessage.ts';

test('the answer carries status, headers and a blob: URL of the body, never the bytes; the URL is revoked after a minute', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const served = await serveByMessage(new Response(bytes, { status: 200, headers: { 'content-type': 'image/png', 'x-facts': '{}' } }));
    assert.equal(served.status, 200);
    assert.deepEqual(served.headers, { 'content-type': 'image/png', 'x-facts': '{}' });
    assert.deepEqual(Object.keys(served).sort(), ['bodyUrl', 'headers', 'status']);
    assert.match(served.bodyUrl, /^blob:/);
    assert.deepEqual(new Uint8Array(await resolveObjectURL(served.bodyUrl)!.arrayBuffer()), bytes);
    mock.timers.tick(59_999);
    assert.ok(resolveObjectURL(served.bodyUrl), 'still there just before a minute');
    mock.timers.tick(1);
    assert.equal(resolveObjectURL(served.bodyUrl), undefined);
  } finally {
    mock.timers.reset();
  }
});

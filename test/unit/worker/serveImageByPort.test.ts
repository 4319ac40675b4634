/** The worker's image answer over a port (src/worker/serveImageByPort.ts): status, headers and the body as a Blob. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageOverPort } from '../../../src/shared/messages.ts';
import { answerOverPort } from '../../../src/worker/serveImageByPort.ts';

test('the answer carries the status, the headers and the body as a Blob', async () => {
  const { port1, port2 } = new MessageChannel();
  try {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const received = new Promise<ImageOverPort>((resolve) => {
      port2.onmessage = (event: MessageEvent<ImageOverPort>) => resolve(event.data);
    });
    await answerOverPort(new Response(bytes, { status: 502, headers: { 'content-type': 'image/png', 'x-facts': '{}' } }), port1);
    const answer = await received;
    assert.equal(answer.status, 502);
    assert.deepEqual(answer.headers, { 'content-type': 'image/png', 'x-facts': '{}' });
    assert.ok(answer.body instanceof Blob);
    assert.deepEqual(new Uint8Array(await answer.body.arrayBuffer()), bytes);
  } finally {
    port1.close();
    port2.close();
  }
});

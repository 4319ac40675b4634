/** The worker's image answer over a port (src/worker/serveImageByPort.ts): who is answered, and with what. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageOverPort } from '../../../src/shared/messages.ts';
import { answerOverPort, createImageMessageListener, type ImageMessageEvent } from '../../../src/worker/serveImageByPort.ts';

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

const OWN = 'chrome-extension://abcdefghijklmnop/';

test('only an image address with a port, from one of the extension\'s own pages, is served', async () => {
  const served: string[] = [];
  const waited: Promise<unknown>[] = [];
  const listener = createImageMessageListener(async (url) => {
    served.push(url.href);
    return new Response('image');
  }, OWN);
  const { port1, port2 } = new MessageChannel();
  const event = (data: unknown, from: string | undefined, ports: readonly MessagePort[] = [port1]): ImageMessageEvent => ({
    data,
    ports,
    source: from === undefined ? null : { url: from },
    waitUntil: (done) => waited.push(done),
  });
  try {
    listener(event({ address: '/glean/image?key=a' }, 'https://evil.example/page.html'));
    listener(event({ address: '/glean/image?key=b' }, undefined));
    listener(event({ address: '/glean/image?key=c' }, `${OWN}popup.html`, []));
    listener(event({ address: 42 }, `${OWN}popup.html`));
    assert.deepEqual(served, [], 'another site, no page, no port or no address: nothing served');
    const answered = new Promise<ImageOverPort>((resolve) => {
      port2.onmessage = (message: MessageEvent<ImageOverPort>) => resolve(message.data);
    });
    listener(event({ address: '/glean/image?key=d' }, `${OWN}popup.html`));
    await Promise.all(waited);
    assert.deepEqual(served, [`${OWN}glean/image?key=d`]);
    assert.equal(await (await answered).body.text(), 'image');
  } finally {
    port1.close();
    port2.close();
  }
});

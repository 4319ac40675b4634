/**
 * Chrome's answer to an image address from a page this worker does not control. A page whose navigation
 * began before the worker activated and ended after its `clients.claim()` is not claimed (claim takes
 * only the clients that exist then: https://w3c.github.io/ServiceWorker/#clients-claim), and stays
 * uncontrolled for its life, so its `fetch` of an image address goes past the worker to a missing file.
 * Such a page posts the address to the active worker with a port (`fetchImage` in src/shared/ask.ts),
 * and the answer goes back over the port, its body as a Blob.
 */
import { isRecord } from '../shared/isRecord.ts';
import type { ImageOverPort } from '../shared/messages.ts';

export async function answerOverPort(response: Response, port: MessagePort): Promise<void> {
  const answer: ImageOverPort = { status: response.status, headers: Object.fromEntries(response.headers), body: await response.blob() };
  port.postMessage(answer);
}

/** The parts of a service worker's ExtendableMessageEvent read here. */
export interface ImageMessageEvent {
  data: unknown;
  ports: readonly MessagePort[];
  /** The page that posted it. */
  source: { url?: string } | null;
  waitUntil(done: Promise<unknown>): void;
}

/** The worker's `message` listener: an image address with a port, from one of the extension's own pages, is answered over the port. */
export function createImageMessageListener(serveImage: (url: URL) => Promise<Response>, ownOrigin: string) {
  return (event: ImageMessageEvent): void => {
    const { data, ports, source } = event;
    const [port] = ports;
    const address = isRecord(data) ? data.address : undefined;
    if (!port || typeof address !== 'string' || !source?.url?.startsWith(ownOrigin)) return;
    event.waitUntil(serveImage(new URL(address, ownOrigin)).then((response) => answerOverPort(response, port)));
  };
}

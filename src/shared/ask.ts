/**
 * The pages' side of the message contract (src/shared/messages.ts): `ask`, one typed call per request,
 * errors rethrown as data; and `fetchImage`, how a page gets an image from the worker, the same call in
 * both browsers:
 * - Chrome: a plain `fetch` of the image's address (src/shared/imageAddress.ts), answered by the
 *   extension service worker's `fetch` handler, which controls the extension's own pages
 *   (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events).
 * - Firefox: the background is an event page, not a service worker, so nothing answers such a fetch.
 *   The page sends the address in a message instead; the event page answers with the same status and
 *   headers and a `blob:` URL of the body, which the page fetches (src/worker/serveImageByMessage.ts).
 */
import { browser } from './browser.ts';
import { t } from './i18n.ts';
import { logWarning } from './logFailure.ts';
import { IMAGE_FACTS_HEADER, type AnswerOf, type ImageOverPort, type PayloadOf, type Reply, type ReplyError, type Request, type RequestType } from './messages.ts';

/** The worker's refusal or failure, as an error whose message is ready to show; `reply` says the rest. */
export class RequestFailed extends Error {
  readonly reply: ReplyError;

  constructor(reply: ReplyError) {
    super(reply.message);
    this.reply = reply;
  }
}

export async function ask<K extends RequestType>(type: K, payload: PayloadOf<K>): Promise<AnswerOf<K>> {
  const request: Request<K> = { type, payload };
  const reply = (await browser.runtime.sendMessage(request)) as Reply<AnswerOf<K>> | undefined;
  if (!reply) {
    throw new RequestFailed({ code: 'unexpected', message: t('errorNoAnswer') });
  }
  if (!reply.ok) throw new RequestFailed(reply.error);
  return reply.value;
}

/** What the worker says about the image it answers with. */
export interface ImageFacts {
  source: 'glean' | 'cache';
  /** The image as Glean has it (the body may be its thumbnail). */
  contentType: string;
  size: number;
  isThumbnail: boolean;
}

export type FetchedImage = ImageFacts & { blob: Blob };

const isFirefox = 'getBrowserInfo' in browser.runtime;

async function request(address: string): Promise<Response> {
  if (isFirefox) {
    const served = await ask('image/serve', { address });
    return new Response((await fetch(served.bodyUrl, { credentials: 'omit' })).body, { status: served.status, headers: served.headers });
  }
  if (navigator.serviceWorker.controller) {
    try {
      return await fetch(address, { credentials: 'omit' });
    } catch (error) {
      // A network error: the worker that took the request was stopped or replaced before it answered
      // (https://w3c.github.io/ServiceWorker/#on-fetch-request-algorithm, "handleFetchFailed"). The
      // active worker is asked directly instead; a lookup is a GET, safe to repeat.
      logWarning('the worker did not answer; asking it directly', error);
    }
  }
  return askWorkerDirectly(address);
}

/** Longer than any lookup's tries and waits (src/glean/retryPolicy.ts, src/glean/client.ts). */
const DIRECT_ANSWER_MS = 60_000;

/**
 * The address posted to the active worker with a port, for a page the worker does not control (one
 * opened while it was being installed; src/worker/serveImageByPort.ts says why that lasts).
 */
async function askWorkerDirectly(address: string): Promise<Response> {
  const { port1, port2 } = new MessageChannel();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const answer = await new Promise<ImageOverPort>((resolve, reject) => {
      timer = setTimeout(() => reject(new RequestFailed({ code: 'unexpected', message: t('errorNoAnswer') })), DIRECT_ANSWER_MS);
      port1.onmessage = (event: MessageEvent<ImageOverPort>) => resolve(event.data);
      void navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage({ address }, [port2]));
    });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  } finally {
    clearTimeout(timer);
    port1.close();
  }
}

/** The image at `address`, or a `RequestFailed` saying in words what went wrong. */
export async function fetchImage(address: string): Promise<FetchedImage> {
  const response = await request(address);
  // Both written by the worker (src/worker/serveImage.ts), which only the extension's pages reach.
  if (!response.ok) throw new RequestFailed(await response.json().catch((): ReplyError => ({ code: 'unexpected', message: t('errorUnexpected') })));
  return { ...(JSON.parse(response.headers.get(IMAGE_FACTS_HEADER) ?? '') as ImageFacts), blob: await response.blob() };
}

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
import { IMAGE_FACTS_HEADER, type AnswerOf, type PayloadOf, type Reply, type ReplyError, type Request, type RequestType } from './messages.ts';

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
  await controlled();
  try {
    return await fetch(address, { credentials: 'omit' });
  } catch (error) {
    // A network error here means no worker answered: the worker that took the request was stopped or
    // replaced before it did (an update, a reload), and the page's request ends with it
    // (https://w3c.github.io/ServiceWorker/#on-fetch-request-algorithm, "handleFetchFailed").
    // Asked again, the address reaches the worker now in charge; the lookup is a GET, safe to repeat.
    console.warn('Glean Images: the worker did not answer; asking again', error instanceof Error ? error.name : typeof error);
    await controlled();
    return fetch(address, { credentials: 'omit' }).catch(() => {
      throw new RequestFailed({ code: 'unexpected', message: t('errorNoAnswer') });
    });
  }
}

/** Long enough for a worker being installed to activate; after it the fetch goes ahead and fails in words. */
const CLAIM_WAIT_MS = 10_000;

/**
 * A page opened while the worker was being installed is uncontrolled, and its fetches would go past the
 * worker to the extension's files (a 404). It becomes controlled when the worker claims it (the activate
 * handler in src/worker/index.ts), which `controllerchange` tells; `serviceWorker.ready` is not enough, as
 * it resolves once the worker is activating, before the claim
 * (https://w3c.github.io/ServiceWorker/#navigator-service-worker-ready).
 */
async function controlled(): Promise<void> {
  const container = navigator.serviceWorker;
  if (container.controller) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      container.removeEventListener('controllerchange', done);
      resolve();
    };
    const timer = setTimeout(done, CLAIM_WAIT_MS);
    container.addEventListener('controllerchange', done);
  });
}

/** The image at `address`, or a `RequestFailed` saying in words what went wrong. */
export async function fetchImage(address: string): Promise<FetchedImage> {
  const response = await request(address);
  // Both written by the worker (src/worker/serveImage.ts), which only the extension's pages reach.
  if (!response.ok) throw new RequestFailed(await response.json().catch((): ReplyError => ({ code: 'unexpected', message: t('errorUnexpected') })));
  return { ...(JSON.parse(response.headers.get(IMAGE_FACTS_HEADER) ?? '') as ImageFacts), blob: await response.blob() };
}

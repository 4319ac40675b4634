/**
 * The worker's answer to a page's `/glean/image?…` request (src/shared/imageAddress.ts): the image
 * with a header saying where it came from, or the error as a JSON `ReplyError` with an error status,
 * so the page can put it in words. Bytes reach the page as a response body, never in a message.
 */
import { t } from '../shared/i18n.ts';
import { readImageAddress } from '../shared/imageAddress.ts';
import type { ImageFacts } from '../shared/ask.ts';
import { IMAGE_FACTS_HEADER, type ReplyError } from '../shared/messages.ts';
import type { FoundImage, LookUp } from './lookUp.ts';

export interface ServeImageDeps extends LookUp {
  describeError: (error: unknown) => ReplyError;
  /** The signal of the page's session (src/worker/sessions.ts): closing the popup ends its lookups. */
  sessionSignal: (session: string) => AbortSignal;
}

function failed(error: ReplyError, fallback: number): Response {
  const status = error.status !== undefined && error.status >= 400 && error.status <= 599 ? error.status : fallback;
  return Response.json(error, { status, headers: { 'cache-control': 'no-store' } });
}

function answer({ blob, ...facts }: FoundImage): Response {
  const headers = { 'content-type': blob.type || facts.contentType, 'cache-control': 'no-store', [IMAGE_FACTS_HEADER]: JSON.stringify(facts satisfies ImageFacts) };
  return new Response(blob, { headers });
}

export function createServeImage({ lookUp, fromCacheOnly, describeError, sessionSignal }: ServeImageDeps) {
  return async function serveImage(url: URL, signal?: AbortSignal): Promise<Response> {
    const asked = readImageAddress(url);
    if (!asked) return failed({ code: 'invalid-input', message: t('errorUnknownRequest') }, 400);
    try {
      if (asked.cacheOnly) {
        const cached = await fromCacheOnly(asked.query);
        return cached ? answer(cached) : failed({ code: 'not-found', message: t('viewerMissing') }, 404);
      }
      const pageClosed = sessionSignal(asked.session);
      return answer(await lookUp(asked.query, signal ? AbortSignal.any([pageClosed, signal]) : pageClosed, asked.session));
    } catch (error) {
      return failed(describeError(error), 502);
    }
  };
}

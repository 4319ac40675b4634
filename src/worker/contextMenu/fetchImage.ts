/**
 * Fetching a web image from the worker. Never with cookies (`credentials: 'omit'`) and never with
 * Glean's token: the token goes nowhere but Glean. Reads at most the upload limit, so a huge or
 * endless response cannot fill memory.
 */
import { t } from '../../shared/i18n.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../shared/imageSniff.ts';
import { readAtMost } from '../../glean/readAtMost.ts';
import { InvalidInput } from '../invalidInput.ts';

const TIMEOUT_MS = 30_000;

export const tooLarge = (): InvalidInput => new InvalidInput(t('imageTooLarge', DEFAULT_MAX_UPLOAD_BYTES / 1024 / 1024));

/**
 * `url`'s site is the one the person let the worker read (hostAccess.ts); a redirect could send the
 * worker to any other, an intranet host included, that they never approved. Browsers hide where a
 * redirect goes from `redirect: 'manual'` (an "opaqueredirect" response with no Location:
 * https://fetch.spec.whatwg.org/#concept-filtered-response-opaque-redirect), so no hop can be checked
 * before it is requested: every redirect is refused, and nothing is ever sent past the approved site.
 * The caller then reads the image from the page that shows it (clickedImage.ts), which costs no request.
 */
export async function fetchImage(url: URL, fetcher: typeof fetch = fetch): Promise<Blob> {
  let response: Response;
  try {
    response = await fetcher(url, { credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new InvalidInput(t('imageHostUnreachable', url.hostname));
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    await response.body?.cancel();
    throw new InvalidInput(t('imageHostRedirected', url.hostname));
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new InvalidInput(t('imageHostAnswered', url.hostname, response.status));
  }
  return readBounded(response);
}

/** The body as a Blob, or `tooLarge` as soon as it passes the upload limit (declared or counted). */
export async function readBounded(response: Response): Promise<Blob> {
  if (Number(response.headers.get('content-length')) > DEFAULT_MAX_UPLOAD_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const { body, more } = await readAtMost(response, DEFAULT_MAX_UPLOAD_BYTES);
  if (more) throw tooLarge();
  return body;
}

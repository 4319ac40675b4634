/**
 * Firefox's answer to an image address. Its background is an event page, not a service worker, so no
 * page's `fetch` reaches it (https://bugzilla.mozilla.org/show_bug.cgi?id=1573659): the page asks by
 * message instead (`fetchImage` in src/shared/ask.ts). Bytes still never travel in a message: the event page
 * keeps the body under a `blob:` URL of the extension's own origin, which only the extension's pages
 * can fetch (https://w3c.github.io/FileAPI/#blob-url-resolve), and answers with that URL.
 */
import type { ServedImage } from '../shared/messages.ts';

/** Long enough for the asking page to fetch it; the URL is replaceable (ask again), so a timer is enough. */
const KEPT_MS = 60_000;

export async function serveByMessage(response: Response): Promise<ServedImage> {
  const bodyUrl = URL.createObjectURL(await response.blob());
  setTimeout(() => URL.revokeObjectURL(bodyUrl), KEPT_MS);
  return { status: response.status, headers: Object.fromEntries(response.headers), bodyUrl };
}

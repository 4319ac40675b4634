/**
 * Small previews for the images the popup lists: the files selected for upload and the jobs in
 * "Recent uploads", shown 48 px square. A full-size image in an <img> costs the popup's main thread
 * its whole file (for a 5 MB PNG, 100-250 ms of loading and image updates there, in a trace of
 * bench/batch.ts), and the garbage collections that follow cost more: twenty of them kept the popup
 * busy for seconds. A dedicated worker (src/popup/previewMaker.ts) reads, decodes and scales each file
 * (createImageBitmap's resizeWidth: https://html.spec.whatwg.org/multipage/imagebitmap-and-animations.html#dom-createimagebitmap),
 * and the popup keeps only a PNG of a few kilobytes. One image at a time, so a batch holds one file's
 * pixels, not twenty.
 */
import type { Preview } from './drawPreview.ts';

let maker: Worker | undefined;
let decoding: Promise<unknown> = Promise.resolve();

/** Called one image at a time (see makePreview), so the next answer is this image's. */
function ask(image: Blob): Promise<Preview> {
  // Built by scripts/build.ts at the extension's root; started with the first preview, and ends with the popup.
  const worker = (maker ??= new Worker('/previewMaker.js', { type: 'module' }));
  return new Promise((resolve) => {
    worker.onmessage = (event: MessageEvent<Preview>) => resolve(event.data);
    // A worker that could not start, or crashed: the image itself is shown, as before there were previews.
    worker.onerror = () => resolve('original');
    worker.postMessage(image);
  });
}

/** An object URL to show `image` small; the caller revokes it. Rejects when the browser cannot draw it. */
export function makePreview(image: Blob): Promise<string> {
  const made = decoding.then(async () => {
    const preview = await ask(image);
    if (preview === 'undrawable') throw new Error('The browser cannot draw this image.');
    return URL.createObjectURL(preview === 'original' ? image : preview);
  });
  decoding = made.catch(() => undefined);
  return made;
}

/**
 * The previews of images handed to the worker from this popup, by job id: "Recent uploads" shows them
 * without reading and decoding the file again. Kept while the popup is open; the page's end frees them.
 */
const jobPreviews = new Map<string, string>();

export const keepJobPreview = (jobId: string, url: string): void => void jobPreviews.set(jobId, url);
export const jobPreview = (jobId: string): string | undefined => jobPreviews.get(jobId);

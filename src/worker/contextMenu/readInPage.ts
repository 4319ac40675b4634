/**
 * Reading an image inside the page that shows it, for images only the page can read: a `blob:` URL
 * belongs to the page's origin, and a web image may need the page's own login. Runs a function in the
 * frame with `scripting.executeScript` (allowed by `activeTab`, which the menu click grants: see
 * ./activeTabGrant.ts for when that grant comes late). Its answer comes back as executeScript's
 * result, not through our messages, as a `data:` URL: results must be JSON-serialisable in Chrome
 * (https://developer.chrome.com/docs/extensions/reference/api/scripting#type-InjectionResult).
 */
import { browser } from '../../shared/browser.ts';
import { t } from '../../shared/i18n.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../shared/imageSniff.ts';
import { InvalidInput } from '../invalidInput.ts';
import { logWarning } from '../../shared/logFailure.ts';
import { injectAfterGrant } from './activeTabGrant.ts';
import { decodeDataUrl } from './dataUrl.ts';
import { tooLarge } from './fetchImage.ts';

/** The image as a `data:` URL, or why there is none. */
type PageAnswer = string | 'too-large' | 'unreadable';

/**
 * Runs in the page's isolated world (the page's scripts cannot replace its functions), serialised on
 * its own: it may use nothing from this module. A `blob:` URL's own bytes when it is still valid;
 * otherwise the image as the page shows it, drawn on a canvas and sent as PNG: a revoked `blob:` URL
 * still shows its image, and so does one the page loaded with its own login. A canvas holding
 * another site's image refuses to be read, and that is the answer then.
 */
async function readImageInPage(src: string, maxBytes: number): Promise<PageAnswer> {
  let blob: Blob | null = null;
  if (src.startsWith('blob:')) {
    try {
      const response = await fetch(src, { credentials: 'omit' });
      if (response.ok) blob = await response.blob();
    } catch {
      // Revoked: the shown image below is all there is.
    }
  }
  if (!blob) {
    const img = Array.from(document.images).find((image) => image.currentSrc === src || image.src === src);
    if (img?.complete && img.naturalWidth > 0) {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      canvas.getContext('2d')?.drawImage(img, 0, 0);
      try {
        blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      } catch {
        // SecurityError: the canvas shows another site's image.
      }
    }
  }
  if (!blob) return 'unreadable';
  if (blob.size > maxBytes) return 'too-large';
  const image = blob;
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(image);
  });
}

export interface ImageInPage {
  src: string;
  tabId: number | undefined;
  frameId: number | undefined;
}

export async function readInPage({ src, tabId, frameId }: ImageInPage): Promise<Blob> {
  const unreadable = new InvalidInput(t('imageUnreadableInPage'));
  if (tabId === undefined) throw unreadable;
  let answer: unknown;
  try {
    const [result] = await injectAfterGrant(() =>
      browser.scripting.executeScript({
        target: { tabId, frameIds: [frameId ?? 0] },
        func: readImageInPage,
        args: [src, DEFAULT_MAX_UPLOAD_BYTES],
      }),
    );
    answer = result?.result;
  } catch (error) {
    // Not the page's answer but the browser's refusal to run the reader (no access, a frame gone):
    // told apart in the console, where a report of "could not read this image" starts.
    logWarning('the browser did not run the image reader in the page', error);
    throw unreadable;
  }
  if (answer === 'too-large') throw tooLarge();
  if (typeof answer !== 'string' || !answer.startsWith('data:')) throw unreadable;
  return decodeDataUrl(answer);
}

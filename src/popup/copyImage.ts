/**
 * "Copy image": the uploaded image itself on the clipboard, as PNG, the one image type both browsers
 * write (https://developer.mozilla.org/docs/Web/API/ClipboardItem/supports_static,
 * https://developer.chrome.com/blog/web-custom-formats-for-the-async-clipboard-api). Other types are
 * drawn on a canvas and written as PNG. `clipboard.write` must be called from the click itself, while
 * its user activation lasts, so the image is handed over as a promise the browser waits for.
 * Every version the manifest allows has `ClipboardItem` and writes PNG (Chrome 76+, Firefox 127+:
 * https://developer.mozilla.org/docs/Web/API/ClipboardItem#browser_compatibility).
 */
import { t } from '../shared/i18n.ts';

async function asPng(image: Blob): Promise<Blob> {
  if (image.type === 'image/png') return image;
  const url = URL.createObjectURL(image);
  try {
    const element = new Image();
    element.src = url;
    await element.decode();
    const canvas = document.createElement('canvas');
    canvas.width = element.naturalWidth;
    canvas.height = element.naturalHeight;
    canvas.getContext('2d')?.drawImage(element, 0, 0);
    const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!png) throw new Error(t('copyImageFailed'));
    return png;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Call from the click handler, before its first await. `read` finds the image's bytes. */
export function copyImage(read: () => Promise<Blob | undefined>): Promise<void> {
  const png = read().then((image) => {
    if (!image) throw new Error(t('copyImageGone'));
    return asPng(image);
  });
  return navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
}

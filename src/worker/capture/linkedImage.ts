/**
 * "Upload from a link": the popup was given an image's web address as text. The worker reads it
 * exactly as it reads a right-clicked image (src/worker/contextMenu/clickedImage.ts: no cookies, no
 * Glean token, bounded, checked to be an image by its bytes), with the host access the popup asked for
 * from the person's click (src/worker/contextMenu/hostAccess.ts), and keeps it waiting for the form as
 * "Upload image to Glean…" does. There is no page behind a link, so an image only a page can read is refused.
 */
import { t } from '../../shared/i18n.ts';
import { keepPendingImage } from '../../shared/pendingImage.ts';
import { InvalidInput } from '../invalidInput.ts';
import { readClickedImage } from '../contextMenu/clickedImage.ts';
import { hasHostAccess } from '../contextMenu/hostAccess.ts';
import { imageFileName, imageSource } from '../contextMenu/imageSource.ts';

/** Longer than any address a person pastes; a data: URL is bounded by the upload limit when read. */
const MAX_LINK_CHARS = 32 * 1024 * 1024;

export async function fetchLinkedImage({ url }: { url: string }): Promise<{ fileName: string }> {
  if (url.length > MAX_LINK_CHARS) throw new InvalidInput(t('linkInvalid'));
  const source = imageSource(url);
  if (source.way === 'page') throw new InvalidInput(t('linkPageOnly'));
  // Only asked, never prompted for, here: the popup asked from the person's click before sending this.
  const hostAccess = source.way === 'web' ? hasHostAccess(source.url) : Promise.resolve(true);
  const blob = await readClickedImage(source, { src: url, tabId: undefined, frameId: undefined }, hostAccess);
  const fileName = imageFileName(source, undefined);
  await keepPendingImage(blob, fileName);
  return { fileName };
}

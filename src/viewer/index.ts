/**
 * "Open full size": one cached image in its own tab, read from the cache by the id in the address.
 * An object URL made by the popup would die with the popup, so the tab reads the Blob itself.
 */
import { readCachedImage } from '../shared/cacheReader.ts';
import { t } from '../shared/i18n.ts';
import { localizePage } from '../ui/localizePage.ts';

localizePage('viewerTitle');
const main = document.querySelector('main') as HTMLElement;

function say(text: string, role: 'status' | 'alert'): void {
  const line = document.createElement('p');
  line.setAttribute('role', role);
  line.textContent = text;
  main.append(line);
}

const image = await readCachedImage(decodeURIComponent(location.hash.slice(1)));
if (!image) {
  say(t('viewerMissing'), 'alert');
} else {
  if (image.isThumbnail) say(t('viewerThumbnailOnly'), 'status');
  const img = document.createElement('img');
  img.alt = t('viewerImageAlt');
  img.src = URL.createObjectURL(image.blob);
  main.append(img);
}

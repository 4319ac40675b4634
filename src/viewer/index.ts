/**
 * "Open full size": one cached image in its own tab, asked of the worker by the lookup's query key in
 * the address. An object URL made by the popup would die with the popup, so the tab asks itself.
 */
import { t } from '../shared/i18n.ts';
import { fetchImage } from '../shared/ask.ts';
import { IMAGE_PATH } from '../shared/messages.ts';
import { localizePage } from '../ui/localizePage.ts';

localizePage('viewerTitle');
const main = document.querySelector('main') as HTMLElement;

function say(text: string, role: 'status' | 'alert'): void {
  const line = document.createElement('p');
  line.setAttribute('role', role);
  line.textContent = text;
  main.append(line);
}

const params = new URLSearchParams(decodeURIComponent(location.hash.slice(1)));
params.set('only', 'cache');
const image = await fetchImage(`${IMAGE_PATH}?${params.toString()}`).catch(() => undefined);
if (!image) {
  say(t('viewerMissing'), 'alert');
} else {
  if (image.isThumbnail) say(t('viewerThumbnailOnly'), 'status');
  const img = document.createElement('img');
  img.alt = t('viewerImageAlt');
  img.src = URL.createObjectURL(image.blob);
  main.append(img);
}

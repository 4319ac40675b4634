/**
 * The bytes of the image a person right-clicked, by whichever way its address allows, checked to be
 * an image by what they are (an HTML login or error page is not, whatever the server called it).
 * Every failure is an InvalidInput whose message says why.
 */
import { t } from '../../shared/i18n.ts';
import { checkImageFile } from '../../shared/imageSniff.ts';
import { InvalidInput } from '../invalidInput.ts';
import { decodeDataUrl } from './dataUrl.ts';
import { fetchImage } from './fetchImage.ts';
import type { ImageSource } from './imageSource.ts';
import { readInPage, type ImageInPage } from './readInPage.ts';

async function checked(read: Promise<Blob>): Promise<Blob> {
  const blob = await read;
  const check = await checkImageFile(blob);
  if (!check.ok) throw new InvalidInput(check.message);
  return blob;
}

/** `hostAccess`: whether the person let the worker read the image's site (asked at the click). */
export async function readClickedImage(source: ImageSource, where: ImageInPage, hostAccess: Promise<boolean>): Promise<Blob> {
  switch (source.way) {
    case 'refused':
      throw new InvalidInput(source.reason);
    case 'data':
      return checked(decodeDataUrl(source.url));
    case 'page':
      return checked(readInPage(where));
    case 'web': {
      if (!(await hostAccess)) {
        throw new InvalidInput(t('imageHostRefused', source.url.hostname));
      }
      try {
        return await checked(fetchImage(source.url));
      } catch (error) {
        // Without cookies the site may refuse, or send its login page; the page shows it all the same.
        return checked(readInPage(where)).catch(() => Promise.reject(error));
      }
    }
  }
}

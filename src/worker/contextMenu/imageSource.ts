/**
 * Which way the bytes of a right-clicked image can be read, decided by its URL alone, and the name it
 * is listed under. Pure, so every scheme is unit-tested.
 */
import { t } from '../../shared/i18n.ts';

export type ImageSource =
  /** Fetched by the worker itself, without cookies or any Glean credentials. */
  | { way: 'web'; url: URL }
  /** Decoded in the worker: the bytes are in the URL. */
  | { way: 'data'; url: string }
  /** Only the page can read it: a `blob:` URL belongs to the page's origin. */
  | { way: 'page'; url: string }
  | { way: 'refused'; reason: string };

export function imageSource(srcUrl: string | undefined): ImageSource {
  let url: URL;
  try {
    url = new URL(srcUrl ?? '');
  } catch {
    return { way: 'refused', reason: t('imageSourceUnknown') };
  }
  switch (url.protocol) {
    case 'https:':
    case 'http:':
      return { way: 'web', url };
    case 'data:':
      return { way: 'data', url: url.href };
    case 'blob:':
      return { way: 'page', url: url.href };
    case 'file:':
      return { way: 'refused', reason: t('imageSourceLocalFile') };
    default:
      return { way: 'refused', reason: t('imageSourceUnsupported', url.protocol) };
  }
}

const MAX_NAME = 120;

/** The file's own name where its address has one, else where it was found: "Image from example.com". */
export function imageFileName(source: ImageSource, pageUrl: string | undefined): string {
  if (source.way === 'web') {
    const last = source.url.pathname.split('/').pop() ?? '';
    let name = last;
    try {
      name = decodeURIComponent(last);
    } catch {
      // A malformed %-escape: the name as written is still a name.
    }
    name = name.trim();
    if (name) return name.slice(0, MAX_NAME);
  }
  const host = hostOf(pageUrl) ?? (source.way === 'web' ? source.url.hostname : undefined);
  return host ? t('imageFromHost', host) : t('imageFromWebPage');
}

function hostOf(address: string | undefined): string | undefined {
  try {
    return new URL(address ?? '').hostname || undefined;
  } catch {
    return undefined;
  }
}

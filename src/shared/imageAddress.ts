/**
 * The address under which the extension's pages ask the worker for an image:
 * `/glean/image?key=…` or `/glean/image?type=…&id=…&ds=…&cid=…`, the lookup's normalised query, plus
 * `only=cache` (answer from the cache or not at all) and `session` (ties the lookup to the popup's
 * port). The answer is the image, or a JSON `ReplyError` with an error status; a header says the rest.
 */
import { isImageType, type ImageMetadata, type ImageQuery, type ImageType } from './imageMetadata.ts';
import { IMAGE_PATH } from './messages.ts';

/** One canonical string per image: the same lookup typed twice shares a request and a cache entry. */
export function queryKey(query: ImageQuery): string {
  if ('key' in query) return new URLSearchParams({ key: query.key.trim() }).toString();
  const { type = '', id = '', ds = '', cid = '' } = query.metadata;
  return new URLSearchParams({ type, id: id.trim(), ds: ds.trim(), cid: cid.trim() }).toString();
}

export function imageAddress(query: ImageQuery, options: { cacheOnly?: boolean; session?: string } = {}): string {
  const params = new URLSearchParams(queryKey(query));
  if (options.cacheOnly) params.set('only', 'cache');
  if (options.session) params.set('session', options.session);
  return `${IMAGE_PATH}?${params.toString()}`;
}

export interface ImageAsk {
  query: ImageQuery;
  cacheOnly: boolean;
  session: string;
}

/** The request behind an address; null when it is not one (the worker answers 400). */
export function readImageAddress(url: URL): ImageAsk | null {
  const params = url.searchParams;
  const text = (name: string): string => params.get(name) ?? '';
  const base = { cacheOnly: params.get('only') === 'cache', session: text('session') };
  if (params.has('key')) return text('key').trim() ? { query: { key: text('key').trim() }, ...base } : null;
  const [type, id, ds, cid] = ['type', 'id', 'ds', 'cid'].map(text) as [string, string, string, string];
  if ((type !== '' && !isImageType(type)) || ![type, id, ds, cid].some((value) => value.trim())) return null;
  const metadata: ImageMetadata = { ...(type && { type: type as ImageType }), ...(id && { id }), ...(ds && { ds }), ...(cid && { cid }) };
  return { query: { metadata }, ...base };
}

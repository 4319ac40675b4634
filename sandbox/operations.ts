import { imageMismatch } from './imageSniff.ts';
import { jsonReply, textReply, type Reply } from './reply.ts';
import type { ImageMetadata, ImageStore } from './store.ts';

/** Subtypes whose usual file extension is not the subtype itself. */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/svg+xml': 'svg',
  'image/x-icon': 'ico',
  'image/vnd.microsoft.icon': 'ico',
};

function extensionOf(contentType: string): string | undefined {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return EXTENSIONS[mediaType] ?? mediaType.split('/')[1]?.split('+')[0];
}

/** GET /rest/api/v1/images: `key` wins over metadata, as the contract says key excludes the rest. */
export function getImage(store: ImageStore, query: Record<string, string>): Reply {
  const image = query.key === undefined ? store.byMetadata(query) : store.byKey(query.key);
  if (!image) return textReply(404, 'image not found');
  return { status: 200, headers: { 'content-type': image.contentType }, body: image.bytes };
}

/** POST /rest/api/v1/uploadimage; the contract has already vetted that a body came with an image/* Content-Type. */
export function uploadImage(
  store: ImageStore,
  query: Record<string, string>,
  contentType: string,
  body: Buffer,
  imagesUrl: string,
): Reply {
  // The query lists `type` as optional, yet the ImageMetadata the upload answers with requires it.
  if (!query.type) {
    const violation = { at: 'query.type', message: "is needed to upload: the answer's ImageMetadata.type is required" };
    const note = `${violation.at} ${violation.message}`;
    return jsonReply(400, { error: 'invalid request', violations: [violation] }, note);
  }
  // Glean stores what the bytes are: a body that is not the image type it claims is refused.
  const mismatch = imageMismatch(contentType, body);
  if (mismatch !== undefined) {
    const violation = { at: 'requestBody', message: mismatch };
    return jsonReply(400, { error: 'invalid request', violations: [violation] }, `${violation.at} ${violation.message}`);
  }
  const metadata: ImageMetadata = { type: query.type };
  for (const field of ['id', 'ds', 'cid'] as const) {
    if (query[field]) metadata[field] = query[field];
  }
  const ext = extensionOf(contentType);
  if (ext) metadata.ext = ext;
  const stored = store.put(metadata, contentType, body);
  return jsonReply(200, { url: `${imagesUrl}?key=${encodeURIComponent(stored.key)}`, metadata });
}

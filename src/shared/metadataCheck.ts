/** Checks the four metadata fields before anything is sent, with a message that says what to fix. */
import { isImageType, type ImageMetadata } from './imageMetadata.ts';

/** Long enough for any id or datasource name we have seen; a longer value is almost surely a paste error. */
export const MAX_FIELD_LENGTH = 256;

const FIELD_NAMES = { id: 'ID', ds: 'Datasource', cid: 'Content ID' } as const;

export type MetadataCheck = { ok: true; metadata: ImageMetadata } | { ok: false; message: string };

export function checkMetadata(metadata: ImageMetadata, { typeRequired }: { typeRequired: boolean }): MetadataCheck {
  const type = metadata.type ?? '';
  if (type && !isImageType(type)) return { ok: false, message: `“${type}” is not an image type. Choose one from the Type list.` };
  if (typeRequired && !type) return { ok: false, message: 'Choose a Type for the image (for example UGC or LOGO).' };
  const cleaned: ImageMetadata = { type };
  for (const field of ['id', 'ds', 'cid'] as const) {
    const value = (metadata[field] ?? '').trim();
    if (value.length > MAX_FIELD_LENGTH) {
      return { ok: false, message: `${FIELD_NAMES[field]} is ${value.length} characters long; the limit is ${MAX_FIELD_LENGTH}.` };
    }
    // Control characters cannot be typed and would be mangled on the way: they come from a bad paste.
    if (/\p{Cc}/u.test(value)) return { ok: false, message: `${FIELD_NAMES[field]} contains invisible control characters. Type it again.` };
    cleaned[field] = value;
  }
  return { ok: true, metadata: cleaned };
}

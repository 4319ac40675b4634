/** Checks the four metadata fields before anything is sent, with a message that says what to fix. */
import { t, type MessageName } from './i18n.ts';
import { isImageType, type ImageMetadata } from './imageMetadata.ts';

/** Long enough for any id or datasource name we have seen; a longer value is almost surely a paste error. */
export const MAX_FIELD_LENGTH = 256;

/** The fields' labels, as MetadataFields shows them. */
const FIELD_LABELS: Record<'id' | 'ds' | 'cid', MessageName> = { id: 'fieldId', ds: 'fieldDatasource', cid: 'fieldContentId' };

export type MetadataCheck = { ok: true; metadata: ImageMetadata } | { ok: false; message: string };

export function checkMetadata(metadata: ImageMetadata, { typeRequired }: { typeRequired: boolean }): MetadataCheck {
  const type = metadata.type ?? '';
  if (type && !isImageType(type)) return { ok: false, message: t('metadataUnknownType', type) };
  if (typeRequired && !type) return { ok: false, message: t('metadataTypeRequired') };
  const cleaned: ImageMetadata = { type };
  for (const field of ['id', 'ds', 'cid'] as const) {
    const value = (metadata[field] ?? '').trim();
    if (value.length > MAX_FIELD_LENGTH) {
      return { ok: false, message: t('metadataFieldTooLong', t(FIELD_LABELS[field]), value.length, MAX_FIELD_LENGTH) };
    }
    // Control characters cannot be typed and would be mangled on the way: they come from a bad paste.
    if (/\p{Cc}/u.test(value)) return { ok: false, message: t('metadataFieldControlChars', t(FIELD_LABELS[field])) };
    cleaned[field] = value;
  }
  return { ok: true, metadata: cleaned };
}

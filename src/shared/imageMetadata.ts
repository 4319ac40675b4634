/**
 * The image vocabulary of Glean's images API (see sandbox/glean-images-openapi.yaml).
 * Shared by the worker, the popup and the options page.
 */

/** ImageType values known today. Older servers lack DOCUMENT_IMAGE and newer ones may add more,
 * so a type we receive from a server is kept as a plain string rather than rejected. */
export const IMAGE_TYPES = [
  'BACKGROUND',
  'FEEDBACK',
  'HEADER',
  'ICON',
  'LOGO',
  'UGC',
  'USER',
  'DOCUMENT_IMAGE',
] as const;

export type ImageType = (typeof IMAGE_TYPES)[number];

/** The four fields a person fills in to name an image (query parameters `type`, `id`, `ds`, `cid`). */
export interface ImageMetadata {
  type?: ImageType | '';
  id?: string;
  ds?: string;
  cid?: string;
}

/** A lookup names an image either by the key an upload returned, or by its metadata. */
export type ImageQuery = { key: string } | { metadata: ImageMetadata };

export function isImageType(value: string): value is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(value);
}

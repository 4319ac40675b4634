/** The images selected for upload, each with its preview, its size, and a way to remove it (or crop it, for a screenshot). */
import { t } from '../shared/i18n.ts';
import { formatBytes } from './ImageResult.tsx';
import type { SelectedImage } from './selection.ts';

interface Props {
  images: readonly SelectedImage[];
  onRemove: (image: SelectedImage) => void;
  onCrop: (image: SelectedImage) => void;
  /** The browser cannot draw it (damaged, or a decompression bomb): refused where another can be chosen. */
  onUndisplayable: (image: SelectedImage) => void;
}

export const displayName = (file: File): string => file.name || t('popupPastedFileName');

export function SelectedImages({ images, onRemove, onCrop, onUndisplayable }: Props) {
  if (images.length === 0) return null;
  return (
    <ul class="selected" aria-label={t('popupSelectedImages')}>
      {images.map((image) => {
        const name = displayName(image.file);
        return (
          <li key={image.id} class="selected-item">
            {image.preview === null ? (
              <span class="preview" aria-hidden="true" />
            ) : (
              <img
                class="preview"
                src={image.preview}
                alt={t('popupPreviewAlt', name)}
                decoding="async"
                onError={() => onUndisplayable(image)}
              />
            )}
            <span class="selected-name">
              {name} <small>{formatBytes(image.file.size)}</small>
            </span>
            <span class="job-actions">
              {image.screenshot && (
                <button type="button" aria-label={t('popupCropSelected', name)} onClick={() => onCrop(image)}>
                  {t('popupCrop')}
                </button>
              )}
              <button type="button" class="link" aria-label={t('popupRemoveSelected', name)} onClick={() => onRemove(image)}>
                {t('popupRemove')}
              </button>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** A looked-up image with what a person wants to know about it. */
import { useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';

export interface ShownImage {
  /** The lookup's query key: "Open full size" shows the cached copy in its own tab. */
  query: string;
  url: string;
  name: string;
  contentType: string;
  size: number;
  /** The file name "Save image" gives it (see savedImageType), or null when its bytes are no known image. */
  saveAs: string | null;
}

export function formatBytes(size: number): string {
  if (size < 1024) return t('sizeBytes', size);
  if (size < 1024 * 1024) return t('sizeKilobytes', (size / 1024).toFixed(1));
  return t('sizeMegabytes', (size / 1024 / 1024).toFixed(1));
}

export function ImageResult({ image }: { image: ShownImage }) {
  const [dimensions, setDimensions] = useState<string | null>(null);
  return (
    <figure class="result">
      <img
        src={image.url}
        alt={t('popupImageAlt', image.name)}
        onLoad={(event) => setDimensions(t('popupImageDimensions', event.currentTarget.naturalWidth, event.currentTarget.naturalHeight))}
      />
      <figcaption>
        {dimensions && `${dimensions} · `}
        {image.contentType} · {formatBytes(image.size)}
      </figcaption>
      <p class="result-actions">
        <a href={`image.html#${encodeURIComponent(image.query)}`} target="_blank" rel="noreferrer">
          {t('popupOpenFullSize')}
        </a>
        {image.saveAs !== null && (
          <a href={image.url} download={image.saveAs}>
            {t('popupSaveImage')}
          </a>
        )}
      </p>
    </figure>
  );
}

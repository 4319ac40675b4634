/** A looked-up image with what a person wants to know about it. */
export interface ShownImage {
  url: string;
  name: string;
  contentType: string;
  size: number;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** `image/svg+xml` → `svg`, `image/x-icon` → `ico`: a file name a person's system will open. */
function extensionOf(contentType: string): string {
  const subtype = contentType.split('/')[1]?.split(/[+;]/)[0] ?? 'img';
  return subtype.replace(/^x-/, '').replace('jpeg', 'jpg').replace('icon', 'ico');
}

export function ImageResult({ image }: { image: ShownImage }) {
  return (
    <figure class="result">
      <img src={image.url} alt={`Glean image ${image.name}`} />
      <figcaption>
        {image.contentType} · {formatBytes(image.size)} ·{' '}
        <a href={image.url} download={`glean-image.${extensionOf(image.contentType)}`}>
          Save image
        </a>
      </figcaption>
    </figure>
  );
}

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

export function ImageResult({ image }: { image: ShownImage }) {
  return (
    <figure class="result">
      <img src={image.url} alt={`Glean image ${image.name}`} />
      <figcaption>
        {image.contentType} · {formatBytes(image.size)}
      </figcaption>
    </figure>
  );
}

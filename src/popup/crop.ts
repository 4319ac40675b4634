/**
 * Cropping a screenshot: the rectangle's arithmetic (pure, unit-tested) and the crop itself, drawn on a
 * canvas and written as PNG. Rectangles are in the image's own pixels, whatever size it is shown at.
 */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ImageSize {
  width: number;
  height: number;
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** Whole pixels, at least 1 × 1, inside the image. */
export function fitRect(rect: CropRect, size: ImageSize): CropRect {
  const x = clamp(Math.round(rect.x), 0, size.width - 1);
  const y = clamp(Math.round(rect.y), 0, size.height - 1);
  return {
    x,
    y,
    width: clamp(Math.round(rect.width), 1, size.width - x),
    height: clamp(Math.round(rect.height), 1, size.height - y),
  };
}

/** The rectangle between where a drag began and where the pointer is now, in either direction. */
export function rectBetween(from: { x: number; y: number }, to: { x: number; y: number }, size: ImageSize): CropRect {
  const x = Math.min(from.x, to.x);
  const y = Math.min(from.y, to.y);
  return fitRect({ x, y, width: Math.abs(to.x - from.x), height: Math.abs(to.y - from.y) }, size);
}

export const wholeImage = (size: ImageSize): CropRect => ({ x: 0, y: 0, width: size.width, height: size.height });

export const isWhole = (rect: CropRect, size: ImageSize): boolean =>
  rect.x === 0 && rect.y === 0 && rect.width === size.width && rect.height === size.height;

/** The part of `image` inside `rect`, as a PNG file of exactly `rect.width` × `rect.height` pixels. */
export async function cropToPng(image: File, rect: CropRect): Promise<File> {
  const bitmap = await createImageBitmap(image, rect.x, rect.y, rect.width, rect.height);
  const canvas = document.createElement('canvas');
  canvas.width = rect.width;
  canvas.height = rect.height;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('canvas.toBlob gave nothing');
  return new File([blob], image.name, { type: 'image/png' });
}

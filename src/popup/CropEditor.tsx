/**
 * "Crop screenshot": drag across the image with a pointer, or type the rectangle (Left, Top, Width,
 * Height in the image's pixels) with the keyboard; the fields follow the drag and the drag's frame
 * follows the fields. "Apply crop" replaces the selected screenshot with the cropped part.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import { errorText } from '../ui/Messages.tsx';
import { useBusy } from '../ui/useBusy.ts';
import { cropToPng, fitRect, isWhole, rectBetween, wholeImage, type CropRect, type ImageSize } from './crop.ts';

interface Props {
  file: File;
  onApply: (cropped: File) => void;
  onCancel: () => void;
}

const FIELDS = [
  ['x', 'cropLeft'],
  ['y', 'cropTop'],
  ['width', 'cropWidth'],
  ['height', 'cropHeight'],
] as const;

export function CropEditor({ file, onApply, onCancel }: Props) {
  const [url] = useState(() => URL.createObjectURL(file));
  const [size, setSize] = useState<ImageSize | null>(null);
  const [rect, setRect] = useState<CropRect | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, whileBusy] = useBusy();
  const image = useRef<HTMLImageElement>(null);
  const dragFrom = useRef<{ x: number; y: number } | null>(null);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);

  /** Where the pointer is, in the image's own pixels. */
  const at = (event: PointerEvent): { x: number; y: number } | null => {
    const shown = image.current?.getBoundingClientRect();
    if (!shown || !size || shown.width === 0) return null;
    return {
      x: ((event.clientX - shown.left) * size.width) / shown.width,
      y: ((event.clientY - shown.top) * size.height) / shown.height,
    };
  };
  const onPointerDown = (event: PointerEvent) => {
    const from = at(event);
    if (!from) return;
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    dragFrom.current = from;
  };
  const onPointerMove = (event: PointerEvent) => {
    const to = at(event);
    if (dragFrom.current && to && size) setRect(rectBetween(dragFrom.current, to, size));
  };
  const onPointerUp = () => {
    dragFrom.current = null;
  };

  const apply = () => {
    if (!size || !rect) return;
    whileBusy(isWhole(rect, size) ? Promise.resolve(file) : cropToPng(file, rect)).then(onApply, (error: unknown) => setProblem(errorText(error)));
  };

  const percent = (value: number, whole: number) => `${(value / whole) * 100}%`;
  return (
    <div role="group" aria-labelledby="crop-title" class="crop">
      <h3 id="crop-title">{t('cropTitle')}</h3>
      <p class="hint-inline" id="crop-hint">
        {t('cropHint')}
      </p>
      <div class="crop-area" onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp}>
        <img
          ref={image}
          src={url}
          alt={t('cropImageAlt', file.name)}
          draggable={false}
          onLoad={(event) => {
            const loaded = { width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight };
            setSize(loaded);
            setRect(wholeImage(loaded));
          }}
        />
        {size && rect && (
          <span
            class="crop-frame"
            aria-hidden="true"
            style={{
              left: percent(rect.x, size.width),
              top: percent(rect.y, size.height),
              width: percent(rect.width, size.width),
              height: percent(rect.height, size.height),
            }}
          />
        )}
      </div>
      <div class="crop-fields">
        {FIELDS.map(([key, label]) => (
          <label key={key}>
            <span>{t(label)}</span>
            <input
              type="number"
              min={key === 'width' || key === 'height' ? 1 : 0}
              step={1}
              aria-describedby="crop-hint"
              disabled={!size}
              value={rect?.[key] ?? ''}
              onInput={(event) => {
                const value = event.currentTarget.valueAsNumber;
                if (size && rect && Number.isFinite(value)) setRect(fitRect({ ...rect, [key]: value }, size));
              }}
            />
          </label>
        ))}
      </div>
      {problem && <p role="alert" class="job-error">{problem}</p>}
      <div class="job-actions">
        <button type="button" disabled={!size || busy} onClick={apply}>
          {t('cropApply')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cropCancel')}
        </button>
      </div>
    </div>
  );
}

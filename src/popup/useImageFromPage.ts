/**
 * Dropping files anywhere on the popup, or pasting images (Ctrl/Cmd+V), selects them all for upload,
 * just as the "Image file" picker does. Pasting an image's web address as text, outside a text field,
 * offers to upload the image it names.
 */
import { useLayoutEffect } from 'preact/hooks';
import { imageLink } from './imageLink.ts';
import { useLatest } from './useLatest.ts';

function filesFrom(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files = Array.from(data.files);
  if (files.length > 0) return files;
  // Pasted screenshots arrive as items, not files, in some browsers.
  return Array.from(data.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);
}

/** Text pasted into a field stays text there. */
const isTextField = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement);

export function useImageFromPage(select: (files: File[]) => void, offerLink: (url: string) => void): void {
  const latest = useLatest({ select, offerLink });
  // A layout effect runs as hydrate() returns, before the page's `load`; a plain effect waits for the
  // next frame (https://preactjs.com/guide/v10/hooks/#uselayouteffect), and a file dropped on the
  // popup already drawn before it was simply not taken.
  useLayoutEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      const files = filesFrom(event.dataTransfer);
      if (files.length === 0) return;
      event.preventDefault();
      latest.current.select(files);
    };
    const onPaste = (event: ClipboardEvent) => {
      const files = filesFrom(event.clipboardData);
      if (files.length > 0) {
        event.preventDefault();
        latest.current.select(files);
        return;
      }
      if (isTextField(event.target)) return;
      const link = imageLink(event.clipboardData?.getData('text/plain') ?? '');
      if (!link) return;
      event.preventDefault();
      latest.current.offerLink(link);
    };
    document.addEventListener('dragover', onDragOver);
    document.addEventListener('drop', onDrop);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('dragover', onDragOver);
      document.removeEventListener('drop', onDrop);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}

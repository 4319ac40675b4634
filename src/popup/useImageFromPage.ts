/**
 * Dropping a file anywhere on the popup, or pasting an image (Ctrl/Cmd+V), selects it for upload,
 * just as the "Image file" picker does.
 */
import { useEffect } from 'preact/hooks';

function imageFrom(data: DataTransfer | null): File | null {
  if (!data) return null;
  const file = data.files[0];
  if (file) return file;
  // Pasted screenshots arrive as items, not files, in some browsers.
  for (const item of Array.from(data.items)) {
    if (item.kind === 'file') return item.getAsFile();
  }
  return null;
}

export function useImageFromPage(select: (file: File) => void): void {
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      const file = imageFrom(event.dataTransfer);
      if (!file) return;
      event.preventDefault();
      select(file);
    };
    const onPaste = (event: ClipboardEvent) => {
      const file = imageFrom(event.clipboardData);
      if (!file) return; // Text pasted into a field stays text.
      event.preventDefault();
      select(file);
    };
    document.addEventListener('dragover', onDragOver);
    document.addEventListener('drop', onDrop);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('dragover', onDragOver);
      document.removeEventListener('drop', onDrop);
      document.removeEventListener('paste', onPaste);
    };
  }, [select]);
}

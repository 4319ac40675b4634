/**
 * The popup's dedicated worker that makes small previews (src/popup/previews.ts): createImageBitmap
 * reads a Blob's bytes on the thread that calls it, and in the popup that read alone blocked the main
 * thread for 50-280 ms per 5 MB file (a trace of bench/batch.ts); here it blocks nothing anyone sees.
 * The popup asks for one image at a time, so each answer is for the image last asked.
 */
import { drawPreview, type Preview } from './drawPreview.ts';

/** The parts of a dedicated worker's global scope used here (the project's lib is the DOM's, not WebWorker's). */
interface PreviewWorkerScope {
  onmessage: (event: MessageEvent<Blob>) => void;
  postMessage(answer: Preview): void;
}

const scope = self as unknown as PreviewWorkerScope;

scope.onmessage = (event) => {
  drawPreview(event.data).then(
    (preview) => scope.postMessage(preview),
    () => scope.postMessage('undrawable'),
  );
};

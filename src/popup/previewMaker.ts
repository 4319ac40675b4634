/**
 * The popup's dedicated worker that makes small previews (src/popup/previews.ts): createImageBitmap
 * reads a Blob's bytes on the thread that calls it, and in the popup that read alone blocked the main
 * thread for 50-280 ms per 5 MB file (a trace of bench/batch.ts); here it blocks nothing anyone sees.
 */
import { drawPreview, type PreviewAnswer, type PreviewAsk } from './drawPreview.ts';

/** The parts of a dedicated worker's global scope used here (the project's lib is the DOM's, not WebWorker's). */
interface PreviewWorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<PreviewAsk>) => void): void;
  postMessage(answer: PreviewAnswer): void;
}

const scope = self as unknown as PreviewWorkerScope;

scope.addEventListener('message', (event: MessageEvent<PreviewAsk>) => {
  const { id, image } = event.data;
  drawPreview(image).then(
    (preview): void => scope.postMessage({ id, preview } satisfies PreviewAnswer),
    (): void => scope.postMessage({ id, preview: 'undrawable' } satisfies PreviewAnswer),
  );
});

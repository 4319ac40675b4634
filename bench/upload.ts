/**
 * A 20 MB upload: from the popup's "Upload" click until the sandbox holds every byte, against a direct
 * `fetch` POST of the same file from an extension page; the bytes on the wire against the file's size;
 * and the worker's heap during the popup's uploads against the file's size.
 */
import { createHash } from 'node:crypto';
import { link, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RecordedRequest } from '../sandbox/server.ts';
import { noisePng } from '../test/harness/imageCache.ts';
import { fillMetadata, uploadForm, uploadItem } from '../test/harness/popup.ts';
import type { BenchBrowser } from './benchBrowser.ts';
import { figure, RUNS, sample, sampleInterleaved, series, WARM_UPS, type Figure } from './measure.ts';
import type { HeapPeak, WorkerHeap } from './workerHeap.ts';

/** Random RGB pixels at this side make a PNG of about 20.0 MB, just under the popup's 20 × 1024 × 1024 bytes. */
const SIDE_PX = 2580;
/** A 20 MB upload on loopback takes well under a second; this only stops a stuck run hanging the bench. */
const UPLOAD_TIMEOUT_MS = 120_000;

interface UploadWindow {
  benchUploadClicked?: number;
  benchDirectUpload?: Promise<number>;
}

interface BigFile {
  dir: string;
  bytes: number;
  sha256: string;
  /** A path of its own per run (hard links: one file on disk), so each popup job has its own name. */
  pathFor(run: string): Promise<string>;
}

/**
 * A real PNG of random pixels: the popup only takes images it can draw, and random pixels leave
 * nothing on the way anything to compress. 6.7 megapixels: the worker thumbnails it as it would a photo.
 */
async function makeBigFile(): Promise<BigFile> {
  const dir = await mkdtemp(join(tmpdir(), 'glean-images-bench-upload-'));
  const bytes = noisePng(SIDE_PX, SIDE_PX);
  const original = join(dir, 'bench-20mb.png');
  await writeFile(original, bytes);
  return {
    dir,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    async pathFor(run) {
      const path = join(dir, `bench-20mb-${run}.png`);
      await link(original, path);
      return path;
    },
  };
}

/** Resolves with the next upload the sandbox finishes receiving, and the time (ms since epoch) it did. */
async function nextUpload(bench: BenchBrowser): Promise<{ request: RecordedRequest; at: number }> {
  const count = bench.sandbox.requests.filter((request) => request.operation === 'uploadimage').length;
  const uploads = await bench.sandbox.waitForRequests(count + 1, { operation: 'uploadimage', timeoutMs: UPLOAD_TIMEOUT_MS });
  const at = Date.now();
  const request = uploads.at(-1);
  if (!request) throw new Error('no upload arrived');
  return { request, at };
}

interface UploadRun {
  /** Click (or fetch call) → the sandbox has every byte. */
  ms: number;
  /** Click (or fetch call) → the POST's headers reach the sandbox: the time before any byte is sent. */
  beforePostMs: number;
  request: RecordedRequest;
}

/**
 * The popup's upload of one file: picked and described before the clock starts, then click → the
 * sandbox holds every byte. Waits for "Uploaded" afterwards, so the next run starts on a quiet worker.
 * Times are epoch milliseconds on both sides (the page's click, the sandbox's receipt): one machine, one clock.
 */
async function popupUpload(bench: BenchBrowser, path: string, id: string): Promise<UploadRun> {
  const popup = await bench.open('popup.html');
  try {
    const form = uploadForm(popup);
    await form.getByLabel('Image file').setInputFiles(path);
    const fileName = path.split('/').at(-1) ?? '';
    await form.getByRole('img', { name: `Preview of ${fileName}` }).waitFor();
    await fillMetadata(form, { type: 'UGC', id });
    const button = form.getByRole('button', { name: 'Upload' });
    await button.evaluate((element) =>
      element.addEventListener('click', () => ((window as UploadWindow).benchUploadClicked = Date.now()), { capture: true, once: true }),
    );
    const received = nextUpload(bench);
    await button.click();
    const { request, at } = await received;
    const clicked = await popup.evaluate(() => (window as UploadWindow).benchUploadClicked ?? NaN);
    await uploadItem(popup, fileName).getByText('Uploaded', { exact: true }).waitFor({ timeout: UPLOAD_TIMEOUT_MS });
    if (request.query.id !== id) throw new Error(`expected the upload of ${id}, the sandbox got ${request.query.id}`);
    return { ms: at - clicked, beforePostMs: request.at - clicked, request };
  } finally {
    await popup.close();
  }
}

/** The least an upload can cost: the same File, POSTed by `fetch` from an extension page. */
async function directUpload(bench: BenchBrowser, path: string, id: string): Promise<UploadRun> {
  const page: Page = await bench.open('direct-upload.html');
  try {
    await page.getByLabel('Bench file').setInputFiles(path);
    const url = `${bench.sandbox.url}/rest/api/v1/uploadimage?type=UGC&id=${encodeURIComponent(id)}`;
    const received = nextUpload(bench);
    const started = await page.evaluate(
      ({ url, token }) => {
        const input = document.querySelector('input[type="file"]');
        const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
        if (!file) throw new Error('no file picked');
        const started = Date.now();
        (window as UploadWindow).benchDirectUpload = fetch(url, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/png' },
          body: file,
        }).then((response) => response.status);
        return started;
      },
      { url, token: bench.sandbox.token },
    );
    const { request, at } = await received;
    const status = await page.evaluate(() => (window as UploadWindow).benchDirectUpload);
    if (status !== 200) throw new Error(`the direct upload answered ${status}`);
    return { ms: at - started, beforePostMs: request.at - started, request };
  } finally {
    await page.close();
  }
}

export interface UploadFigures {
  time: Figure;
  wire: Figure;
}

export async function measureUpload(bench: BenchBrowser): Promise<UploadFigures> {
  const file = await makeBigFile();
  try {
    const sent: RecordedRequest[] = [];
    const beforePost = { popup: [] as number[], direct: [] as number[] };
    const runs = await sampleInterleaved(
      async (index) => {
        const run = await popupUpload(bench, await file.pathFor(`popup-${index}`), `bench-upload-popup-${index}`);
        if (index >= WARM_UPS) {
          sent.push(run.request);
          beforePost.popup.push(run.beforePostMs);
        }
        return run.ms;
      },
      async (index) => {
        const run = await directUpload(bench, await file.pathFor(`direct-${index}`), `bench-upload-direct-${index}`);
        if (index >= WARM_UPS) beforePost.direct.push(run.beforePostMs);
        return run.ms;
      },
    );
    const wrong = sent.filter((request) => request.bodyBytes !== file.bytes || request.bodySha256 !== file.sha256);
    const sizes = `${(file.bytes / 1e6).toFixed(0)} MB`;
    return {
      time: figure({
        id: 'upload-20mb',
        title: `${sizes} upload (click "Upload" → the sandbox has every byte)`,
        unit: 'ms',
        measured: series('popup → IndexedDB → worker → Glean', runs.measured),
        baseline: series('direct fetch POST of the same File from an extension page', runs.baseline),
        goal: '≤ 1.25× direct POST',
        maxRatio: 1.25,
        notes: [
          `before the POST reaches the sandbox (the page stores the file in IndexedDB, the worker reads it back): ` +
            `popup median ${series('', beforePost.popup).median.toFixed(0)} ms, direct ${series('', beforePost.direct).median.toFixed(0)} ms`,
        ],
      }),
      wire: figure({
        id: 'upload-wire-bytes',
        title: `${sizes} upload: bytes on the wire`,
        unit: 'bytes',
        measured: series('request body bytes the sandbox received', sent.map((request) => request.bodyBytes)),
        baseline: series('file size', sent.map(() => file.bytes)),
        goal: "exactly the file's bytes",
        maxRatio: 1,
        met: wrong.length === 0,
        notes: wrong.length === 0 ? ['every run: same size and SHA-256 as the file'] : [`${wrong.length} run(s) differed from the file`],
      }),
    };
  } finally {
    await rm(file.dir, { recursive: true, force: true });
  }
}

/** The worker's heap while the popup uploads the 20 MB file; runs of their own, so sampling never slows the timed ones. */
export async function measureUploadHeap(bench: BenchBrowser, heap: WorkerHeap): Promise<Figure[]> {
  const file = await makeBigFile();
  try {
    const idle: HeapPeak[] = [];
    const peaks: HeapPeak[] = [];
    await sample(async (index) => {
      await heap.collectGarbage();
      idle.push(await heap.now());
      const { peak } = await heap.peakDuring(async () => {
        await popupUpload(bench, await file.pathFor(`heap-${index}`), `bench-upload-heap-${index}`);
        // The job shows "Uploaded" before the worker's last steps (the cache, the notification) end; a
        // short tail keeps sampling through them.
        await new Promise((resolve) => setTimeout(resolve, 500));
      });
      peaks.push({ ...peak });
      return peak.jsHeap;
    });
    const kept = peaks.slice(WARM_UPS);
    const idleKept = idle.slice(WARM_UPS);
    const fileSize = series('file size', kept.map(() => file.bytes));
    const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
    const idleNote = (pick: (heap: HeapPeak) => number): string =>
      `idle after GC before each run: median ${mb(series('', idleKept.map(pick)).median)}`;
    return [
      figure({
        id: 'upload-worker-heap',
        title: 'Worker JS heap during the 20 MB upload (peak JSHeapUsedSize)',
        unit: 'bytes',
        measured: series('peak used JS heap of the service worker', kept.map((peak) => peak.jsHeap)),
        baseline: fileSize,
        goal: '≤ 2× the file',
        maxRatio: 2,
        notes: [idleNote((peak) => peak.jsHeap)],
      }),
      figure({
        id: 'upload-worker-heap-buffers',
        title: 'Worker JS heap + ArrayBuffers during the 20 MB upload (peak)',
        unit: 'bytes',
        measured: series('peak used JS heap + ArrayBuffer backing stores', kept.map((peak) => peak.withBuffers)),
        baseline: fileSize,
        goal: '≤ 2× the file',
        maxRatio: 2,
        notes: [idleNote((peak) => peak.withBuffers), `${RUNS} sampled runs, one sample every few ms`],
      }),
    ];
  } finally {
    await rm(file.dir, { recursive: true, force: true });
  }
}

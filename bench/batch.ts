/**
 * Twenty 5 MB images at once (issue 15), against one: the service worker's peak heap while the batch
 * uploads, and how often the popup's main thread was blocked (long tasks of 50 ms or more, from the
 * moment the files are picked until every one shows "Uploaded"). The worker must hold about one file
 * at a time, not the batch: its peak should stay within 2× a single upload's.
 */
import { link, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noisePng } from '../test/harness/imageCache.ts';
import { fillMetadata, uploadForm } from '../test/harness/popup.ts';
import type { BenchBrowser } from './benchBrowser.ts';
import { figure, series, type Figure } from './measure.ts';
import type { HeapPeak, WorkerHeap } from './workerHeap.ts';

/** Random RGB pixels at this side make a PNG of about 5.0 MB. */
const SIDE_PX = 1292;
const BATCH = 20;
/** Each side is costly (a batch is 100 MB through IndexedDB and the sandbox): three runs each, after one warm-up. */
export const BATCH_RUNS = 3;
const TIMEOUT_MS = 300_000;

interface LongTaskWindow {
  benchLongTasks?: number[];
}

interface Run {
  peak: HeapPeak;
  longTasks: number;
  longTaskMs: number;
}

async function uploadMany(bench: BenchBrowser, heap: WorkerHeap, paths: string[], id: string): Promise<Run> {
  const popup = await bench.open('popup.html');
  try {
    await popup.evaluate(() => {
      const scope = window as LongTaskWindow;
      scope.benchLongTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) scope.benchLongTasks?.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    await heap.collectGarbage();
    const form = uploadForm(popup);
    const { peak } = await heap.peakDuring(async () => {
      await form.getByLabel('Image file').setInputFiles(paths);
      await form.getByRole('img', { name: /^Preview of/ }).nth(paths.length - 1).waitFor({ timeout: TIMEOUT_MS });
      await fillMetadata(form, { type: 'UGC', id });
      await form.getByRole('button', { name: 'Upload' }).click();
      const done = paths.length > 1 ? `${paths.length} of ${paths.length} uploaded.` : 'Upload started.';
      await form.getByRole('status').filter({ hasText: done }).waitFor({ timeout: TIMEOUT_MS });
      // Every job of this run is uploaded: counted in the worker's store, as "Recent uploads" shows it.
      const started = Date.now();
      for (;;) {
        const uploaded = bench.sandbox.requests.filter((request) => request.query.id === id && request.status === 200).length;
        if (uploaded >= paths.length) break;
        if (Date.now() - started > TIMEOUT_MS) throw new Error(`${id}: ${uploaded} of ${paths.length} uploaded`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The worker's last steps after each upload (the cache, the badge) end shortly after.
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    const tasks = await popup.evaluate(() => (window as LongTaskWindow).benchLongTasks ?? []);
    return { peak: { ...peak }, longTasks: tasks.length, longTaskMs: tasks.reduce((sum, ms) => sum + ms, 0) };
  } finally {
    await popup.close();
  }
}

/** `runs`: fewer for iterating on a change (bench/batchOnly.ts); the figures reported use BATCH_RUNS. */
export async function measureBatch(bench: BenchBrowser, heap: WorkerHeap, runs = BATCH_RUNS): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'glean-images-bench-batch-'));
  try {
    const bytes = noisePng(SIDE_PX, SIDE_PX);
    const original = join(dir, 'five-mb.png');
    await writeFile(original, bytes);
    const pathsFor = async (run: string, count: number): Promise<string[]> =>
      Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const path = join(dir, `batch-${run}-${index}.png`);
          await link(original, path);
          return path;
        }),
      );
    const single: Run[] = [];
    const batch: Run[] = [];
    for (let index = 0; index <= runs; index++) {
      // Interleaved, one warm-up of each (index 0), so a machine slowing down weighs on both alike.
      const one = await uploadMany(bench, heap, await pathsFor(`single-${index}`, 1), `bench-single-${index}`);
      const many = await uploadMany(bench, heap, await pathsFor(`batch-${index}`, BATCH), `bench-batch-${index}`);
      if (index > 0) {
        single.push(one);
        batch.push(many);
      }
    }
    const mb = (value: number): string => `${(value / 1e6).toFixed(1)} MB`;
    const batchPeak = series('', batch.map((run) => run.peak.withBuffers)).median;
    const singleTasks = series('', single.map((run) => run.longTasks)).median;
    return [
      figure({
        id: 'batch-worker-heap',
        title: `Worker heap + ArrayBuffers, ${BATCH} × ${mb(bytes.length)} at once vs one (peak)`,
        unit: 'bytes',
        measured: series(`peak while ${BATCH} images upload`, batch.map((run) => run.peak.withBuffers)),
        baseline: series('peak while one image uploads', single.map((run) => run.peak.withBuffers)),
        goal: '≤ 2× a single upload',
        maxRatio: 2,
        notes: [
          `batch peak ${mb(batchPeak)} = ${(batchPeak / bytes.length).toFixed(2)}× the largest file (${mb(bytes.length)}); ` +
            `the batch's sum is ${mb(bytes.length * BATCH)}`,
          `${runs} runs of each after one warm-up`,
          // src/worker/cache/withBytes.ts frees each file's bytes once hashed: they live for milliseconds.
          "a file's bytes stay in the worker only while it is hashed, a few ms: a single upload's samples " +
            'often miss them, so its peak can be the idle heap and this ratio overstates; see batch-worker-heap-vs-file',
        ],
      }),
      figure({
        id: 'batch-worker-heap-vs-file',
        title: `Worker heap + ArrayBuffers, ${BATCH} × ${mb(bytes.length)} at once vs the largest file (peak)`,
        unit: 'bytes',
        measured: series(`peak while ${BATCH} images upload`, batch.map((run) => run.peak.withBuffers)),
        baseline: series('the largest file', [bytes.length]),
        goal: '≤ 2× the largest file, not the sum (issue 15)',
        maxRatio: 2,
        notes: ["the peak includes the idle worker's own heap"],
      }),
      figure({
        id: 'batch-popup-long-tasks',
        title: `Popup long tasks (≥ 50 ms), picking to all uploaded, ${BATCH} images vs one`,
        unit: 'tasks',
        measured: series(`${BATCH} images`, batch.map((run) => run.longTasks)),
        // One long task stands for none: a ratio against zero says nothing.
        baseline: series('one image (at least 1)', single.map((run) => Math.max(1, run.longTasks))),
        goal: `≤ ${BATCH}× a single upload (no worse than one at a time)`,
        maxRatio: BATCH,
        notes: [
          `long-task time: batch median ${series('', batch.map((run) => run.longTaskMs)).median.toFixed(0)} ms, ` +
            `single median ${series('', single.map((run) => run.longTaskMs)).median.toFixed(0)} ms; single count median ${singleTasks}`,
        ],
      }),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

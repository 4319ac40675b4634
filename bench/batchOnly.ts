/**
 * Only the 20 × 5 MB batch figures (bench/batch.ts), for iterating on the upload path without the
 * whole bench: `npx tsx bench/batchOnly.ts [runs]` after `npm run build`. Prints the figures as JSON;
 * `npm run bench` remains the one that reports.
 */
import { startBenchBrowser } from './benchBrowser.ts';
import { BATCH_RUNS, measureBatch } from './batch.ts';
import { connectWorkerHeap } from './workerHeap.ts';

const runs = Number(process.argv[2] ?? BATCH_RUNS);
if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a whole number of at least 1, not ${process.argv[2]}`);
const bench = await startBenchBrowser();
try {
  const heap = await connectWorkerHeap(bench.extension);
  try {
    const figures = await measureBatch(bench, heap, runs);
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await heap.disconnect();
  }
} finally {
  await bench.close();
}

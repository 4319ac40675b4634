/**
 * `npm run bench` (after `npm run build`): every figure as a ratio against a baseline measured in the
 * same run, written as markdown tables into docs/PERFORMANCE.md (between its `bench:start` and
 * `bench:end` markers) and as data to bench/results.json. A missed goal is reported, never fatal: the exit code is non-zero
 * only when a scenario crashed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';
import { root } from '../test/harness/chromium.ts';
import { startBenchBrowser, type BenchBrowser } from './benchBrowser.ts';
import { measureBundles, type BundleSizes } from './bundleSize.ts';
import { measureCacheFigures } from './cacheFigures.ts';
import { measureCacheMiss, measureIdenticalLookUps } from './lookups.ts';
import { CHEAP_RUNS, isPending, round, RUNS, WARM_UPS, type Figure, type Row } from './measure.ts';
import { measurePopupReady } from './popupReady.ts';
import { measureToolbarPopupReady } from './toolbarPopupReady.ts';
import { measureSignIn } from './signIn.ts';
import { measureBatch } from './batch.ts';
import { measureUpload, measureUploadHeap } from './upload.ts';
import { connectWorkerHeap } from './workerHeap.ts';

interface Results {
  machine: {
    cpu: string;
    cores: number;
    memoryBytes: number;
    os: string;
    node: string;
    chromium: string;
    date: string;
  };
  method: { runs: number; cheapRuns: number; warmUps: number; statistic: 'median' };
  bundle: BundleSizes;
  figures: Row[];
  /** Scenarios that crashed: their figures are missing. */
  errors: string[];
}

const started = Date.now();
const errors: string[] = [];
const rows: Row[] = [];

function log(message: string): void {
  console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)} s] ${message}`);
}

/** One scenario group; a crash is recorded and the others still run. */
async function scenario(name: string, run: () => Promise<Row[]>): Promise<void> {
  log(name);
  try {
    rows.push(...(await run()));
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    errors.push(`${name}: ${message}`);
    log(`${name} crashed: ${message}`);
  }
}

log('bundle sizes of dist/chrome');
const bundle = await measureBundles(join(root, 'dist', 'chrome'));

let chromium = 'unknown';
let bench: BenchBrowser | undefined;
try {
  bench = await startBenchBrowser();
  const browser = bench;
  // The heap sampler connects last: a DevTools client attached from the start would slow every page a little.
  await scenario('popup ready vs blank page', async () => [await measurePopupReady(browser)]);
  await scenario('toolbar popup ready vs blank page', async () => [await measureToolbarPopupReady(browser)]);
  await scenario('cache-miss lookup vs direct fetch', async () => [await measureCacheMiss(browser)]);
  await scenario('50 identical lookups', async () => [await measureIdenticalLookUps(browser)]);
  await scenario('20 MB upload vs direct POST', async () => {
    const { time, wire } = await measureUpload(browser);
    return [time, wire];
  });
  await scenario('worker heap during the 20 MB upload', async () => {
    const heap = await connectWorkerHeap(browser.extension);
    chromium = heap.browserVersion;
    try {
      return await measureUploadHeap(browser, heap);
    } finally {
      await heap.disconnect();
    }
  });
  await scenario('20 × 5 MB batch vs one upload', async () => {
    const heap = await connectWorkerHeap(browser.extension);
    try {
      return await measureBatch(browser, heap);
    } finally {
      await heap.disconnect();
    }
  });
} catch (error) {
  errors.push(`starting the browser: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await bench?.close();
}
// The cache and sign-in benchmarks bring their own browsers and sandboxes, so they run after ours has closed.
await scenario('image cache (bench/cache.ts)', measureCacheFigures);
await scenario('signed-in lookups (bench/signIn.ts)', measureSignIn);

const results: Results = {
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium,
    date: new Date().toISOString(),
  },
  method: { runs: RUNS, cheapRuns: CHEAP_RUNS, warmUps: WARM_UPS, statistic: 'median' },
  bundle,
  figures: rows,
  errors,
};
await writeFile(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');

function amount(value: number, unit: Figure['unit']): string {
  switch (unit) {
    case 'ms':
      return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
    case 'bytes':
      return value >= 1e6 ? `${(value / 1e6).toFixed(2)} MB` : `${(value / 1e3).toFixed(1)} kB`;
    case 'GETs':
      return `${value} GET${value === 1 ? '' : 's'}`;
    case 'tasks':
      return `${value} long task${value === 1 ? '' : 's'}`;
    case 'refreshes':
      return `${value} refresh${value === 1 ? '' : 'es'}`;
  }
}

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

function markdown(): string {
  const { machine } = results;
  const lines = [
    `Measured ${machine.date.slice(0, 10)} on ${machine.cpu} (${machine.cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(0)} GiB), ` +
      `headless ${machine.chromium}, Node ${machine.node}, dev build against the sandbox on loopback. ` +
      `Each figure is the median of ${RUNS} runs (${CHEAP_RUNS} for popup ready and the cache-miss lookups) after ${WARM_UPS} warm-up, ` +
      'set against a baseline measured in the same run (the cache rows come from bench/cache.ts, with its own run counts).',
    '',
    '| Figure | Extension | Baseline | Ratio | Goal | Met |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    if (isPending(row)) {
      lines.push(`| ${row.title} | pending | | | ${row.goal} | pending |`);
      continue;
    }
    lines.push(
      `| ${row.title} | ${amount(row.measured.median, row.unit)} | ${amount(row.baseline.median, row.unit)} (${row.baseline.label}) | ` +
        `${round(row.ratio)}× | ${row.goal} | ${row.met ? 'yes' : '**no**'} |`,
    );
  }
  lines.push('', '| JavaScript shipped (dist/chrome) | Minified | Gzip |', '| --- | --- | --- |');
  for (const part of bundleParts()) lines.push(`| ${part.name} | ${kB(part.minified)} | ${kB(part.gzip)} |`);
  lines.push(`| **Total** | **${kB(bundle.total.minified)}** | **${kB(bundle.total.gzip)}** |`);
  return lines.join('\n');
}

/** Each entry file by name, and the chunks they share as one row: chunk names are content hashes that change with every edit. */
function bundleParts(): { name: string; minified: number; gzip: number }[] {
  const chunks = bundle.files.filter((file) => file.path.startsWith('chunks/'));
  const entries = bundle.files.filter((file) => !file.path.startsWith('chunks/')).map((file) => ({ name: file.path, ...file }));
  const shared = chunks.reduce((sum, file) => ({ ...sum, minified: sum.minified + file.minified, gzip: sum.gzip + file.gzip }), {
    name: `shared chunks (${chunks.length} files)`,
    minified: 0,
    gzip: 0,
  });
  return [...entries, shared];
}

const tables = markdown();
console.log(tables);
const performancePage = join(root, 'docs', 'PERFORMANCE.md');
const page = await readFile(performancePage, 'utf8');
const generated = /(<!-- bench:start[^>]*-->\n)[\s\S]*?(\n<!-- bench:end -->)/;
if (generated.test(page)) await writeFile(performancePage, page.replace(generated, (_, start: string, end: string) => `${start}${tables}${end}`));
else log('docs/PERFORMANCE.md has no bench:start/bench:end markers; its tables were not updated');
const notes = rows.flatMap((row) => ('notes' in row ? row.notes.map((note) => `- ${row.id}: ${note}`) : [`- ${row.id}: ${row.pending}`]));
if (notes.length > 0) console.log(['', 'Notes:', ...notes].join('\n'));
for (const error of errors) console.error(`crashed: ${error}`);
log(`done; wrote bench/results.json and docs/PERFORMANCE.md`);
if (errors.length > 0) process.exitCode = 1;

/**
 * The image cache's figures come from bench/cache.ts, which the cache's author owns and which runs
 * its own browser and sandbox. It is loaded at run time and its report checked field by field, so a
 * missing file or a changed report shows as a "pending" row instead of breaking the whole bench.
 */
import { existsSync } from 'node:fs';
import { figure, type Row, type Series } from './measure.ts';

const CACHE_BENCH = new URL('./cache.ts', import.meta.url);

const HIT_GOAL = { id: 'cache-hit', title: 'Cache-hit lookup (click → image decoded, "from cache")', goal: '≤ 1.2× raw IndexedDB read' };
const SCALE_HIT_GOAL = {
  id: 'cache-5000-hit',
  title: 'Cache-hit lookup with 5,000 cached entries vs 10',
  goal: '≤ 1.5× of 10 entries',
};
const SCALE_WORKER_GOAL = {
  id: 'cache-5000-worker',
  title: "Worker's whole lookup (Glean, thumbnail, store, evict) with 5,000 entries vs 10",
  goal: '≤ 1.5× of 10 entries',
};

/** The fields of bench/cache.ts's `CacheBenchReport` used here (medians in ms). */
const REPORT_FIELDS = [
  'runs',
  'cacheHitMs',
  'rawReadMs',
  'cacheHitWith10Ms',
  'cacheHitWith5000Ms',
  'workerLookUpWith10Ms',
  'workerLookUpWith5000Ms',
  'evict1000Ms',
] as const;
type CacheReport = Record<(typeof REPORT_FIELDS)[number], number>;

function isCacheReport(value: unknown): value is CacheReport {
  if (typeof value !== 'object' || value === null) return false;
  const fields: Record<string, unknown> = { ...value };
  return REPORT_FIELDS.every((field) => typeof fields[field] === 'number');
}

function pendingRows(reason: string): Row[] {
  return [HIT_GOAL, SCALE_HIT_GOAL, SCALE_WORKER_GOAL].map((goal) => ({ ...goal, pending: reason }));
}

/** bench/cache.ts reports medians only: the runs behind them are not available here. */
const medianOnly = (label: string, median: number): Series => ({ label, runs: [], median });

export async function measureCacheFigures(): Promise<Row[]> {
  if (!existsSync(CACHE_BENCH)) return pendingRows('pending: bench/cache.ts (the cache benchmark) does not exist yet');
  // A specifier that is not a literal: the bench still type-checks when the file is absent or changes shape.
  const module: unknown = await import(CACHE_BENCH.href);
  const benchCache = typeof module === 'object' && module !== null && 'benchCache' in module ? module.benchCache : undefined;
  if (typeof benchCache !== 'function') return pendingRows('pending: bench/cache.ts exports no benchCache() function');
  const report: unknown = await benchCache();
  if (!isCacheReport(report)) return pendingRows(`pending: bench/cache.ts answered an unexpected report: ${JSON.stringify(report)}`);
  const source = `from bench/cache.ts: medians of ${report.runs} runs after its own warm-up; runs not reported`;
  return [
    figure({
      ...HIT_GOAL,
      unit: 'ms',
      measured: medianOnly('popup, image cached', report.cacheHitMs),
      baseline: medianOnly('one IndexedDB get of the same Blob + decode, same page', report.rawReadMs),
      // Issue 14's goal: the image comes by address from the worker's one-database cache.
      maxRatio: 1.2,
      notes: [source],
    }),
    figure({
      ...SCALE_HIT_GOAL,
      unit: 'ms',
      measured: medianOnly('popup cache hit, 5,000 entries', report.cacheHitWith5000Ms),
      baseline: medianOnly('popup cache hit, 10 entries', report.cacheHitWith10Ms),
      maxRatio: 1.5,
      notes: [source],
    }),
    figure({
      ...SCALE_WORKER_GOAL,
      unit: 'ms',
      measured: medianOnly('worker lookup by address, 5,000 entries', report.workerLookUpWith5000Ms),
      baseline: medianOnly('worker lookup by address, 10 entries', report.workerLookUpWith10Ms),
      maxRatio: 1.5,
      notes: [source, `evicting 1,000 entries: ${report.evict1000Ms} ms (median; no goal)`],
    }),
  ];
}

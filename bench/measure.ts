/**
 * How a benchmark figure is taken and judged. Absolute times drift on shared machines, so every
 * figure is a median of several runs after a warm-up, set against a baseline measured in the same
 * run, and judged by the ratio. A figure never fails anything: it says whether its goal was met.
 */

/** Runs per figure after the warm-up (at least 7; a 20 MB upload or 50 lookups cost seconds each). */
export const RUNS = 7;
/**
 * For the cheap, jittery figures (a page opening, one small lookup): a millisecond or two of scheduling
 * on a busy 2-core machine is a large share of them, and 15 runs cost only a few seconds more.
 */
export const CHEAP_RUNS = 15;
/** Runs thrown away first: the first navigation, fetch or upload pays for compiling and connecting. */
export const WARM_UPS = 1;

export interface Series {
  /** What was measured, in words ("direct fetch from an extension page"). */
  label: string;
  runs: number[];
  median: number;
}

export interface Figure {
  id: string;
  title: string;
  unit: 'ms' | 'bytes' | 'GETs' | 'tasks' | 'refreshes';
  /** The extension's own measurement. */
  measured: Series;
  /** What it is judged against, measured in the same run (or a fixed reference such as the file size). */
  baseline: Series;
  /** measured.median / baseline.median. */
  ratio: number;
  /** The goal as a person reads it, and the largest ratio that meets it. */
  goal: string;
  maxRatio: number;
  met: boolean;
  notes: string[];
}

/** A figure that could not be taken in this run, and why. */
export interface PendingFigure {
  id: string;
  title: string;
  goal: string;
  pending: string;
}

export type Row = Figure | PendingFigure;

export const isPending = (row: Row): row is PendingFigure => 'pending' in row;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function series(label: string, runs: number[]): Series {
  return { label, runs, median: median(runs) };
}

/**
 * Runs `measure` WARM_UPS + RUNS times and keeps the last RUNS. `index` counts every call from 0,
 * warm-ups included, so a scenario can use a fresh image or file name each time.
 */
export async function sample(measure: (index: number) => Promise<number>, runs = RUNS, warmUps = WARM_UPS): Promise<number[]> {
  const kept: number[] = [];
  for (let index = 0; index < warmUps + runs; index++) {
    const value = await measure(index);
    if (index >= warmUps) kept.push(value);
  }
  return kept;
}

/**
 * The extension's scenario and its baseline, interleaved (A B, B A, A B, …) after a warm-up of each,
 * so that a machine slowing down during the run weighs on both sides alike.
 */
export async function sampleInterleaved(
  measured: (index: number) => Promise<number>,
  baseline: (index: number) => Promise<number>,
  runs = RUNS,
  warmUps = WARM_UPS,
): Promise<{ measured: number[]; baseline: number[] }> {
  const kept = { measured: [] as number[], baseline: [] as number[] };
  for (let index = 0; index < warmUps + runs; index++) {
    const order = index % 2 === 0 ? (['measured', 'baseline'] as const) : (['baseline', 'measured'] as const);
    for (const side of order) {
      const value = await (side === 'measured' ? measured(index) : baseline(index));
      if (index >= warmUps) kept[side].push(value);
    }
  }
  return kept;
}

export interface FigureInput {
  id: string;
  title: string;
  unit: Figure['unit'];
  measured: Series;
  baseline: Series;
  goal: string;
  maxRatio: number;
  /** Overrides "median ratio ≤ maxRatio" when a goal is about every run (bytes on the wire, GET count). */
  met?: boolean;
  notes?: string[];
}

export function figure({ met, notes = [], ...input }: FigureInput): Figure {
  const ratio = input.measured.median / input.baseline.median;
  return { ...input, ratio, met: met ?? ratio <= input.maxRatio, notes };
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

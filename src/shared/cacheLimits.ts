/** The image cache's size and age limits (the range Options may set is part of the message contract). */
import { BYTES_PER_MB, MAX_BUDGET_MB, MIN_BUDGET_MB } from './messages.ts';

/** The byte budget, settable in Options as "Cache size (MB)" (or by the policy's `cacheMegabytes`). */
export const DEFAULT_BUDGET_MB = 50;
/** An entry older than this is neither shown nor kept: Glean may have replaced the image since. */
export const CACHE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** The budget in bytes for a "Cache size (MB)"; null when out of range. */
export function budgetBytes(megabytes: number): number | null {
  if (!Number.isFinite(megabytes) || megabytes < MIN_BUDGET_MB || megabytes > MAX_BUDGET_MB) return null;
  return Math.round(megabytes * BYTES_PER_MB);
}

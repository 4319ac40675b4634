/** The image cache's size and age limits, shared by the worker and Options' "Image cache" section. */
export const BYTES_PER_MB = 1024 * 1024;
/** The byte budget, settable in Options as "Cache size (MB)" (or by the policy's `cacheMegabytes`). */
export const DEFAULT_BUDGET_MB = 50;
/** Below 1 MB the cache could not hold even a handful of thumbnails. */
export const MIN_BUDGET_MB = 1;
/** Far below what browsers grant an extension origin (a share of the disk), yet plenty for thumbnails. */
export const MAX_BUDGET_MB = 2048;
/** An entry older than this is neither shown nor kept: Glean may have replaced the image since. */
export const CACHE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** The budget in bytes for a "Cache size (MB)"; null when out of range. */
export function budgetBytes(megabytes: number): number | null {
  if (!Number.isFinite(megabytes) || megabytes < MIN_BUDGET_MB || megabytes > MAX_BUDGET_MB) return null;
  return Math.round(megabytes * BYTES_PER_MB);
}

/**
 * What the image cache keeps and what it lets go. Pure: given the entries, the budget and the time,
 * it returns a plan; src/worker/cache/imageCache.ts carries it out.
 */
import { BYTES_PER_MB, entryBytes, isExpired, MAX_BUDGET_MB, MIN_BUDGET_MB, type CacheEntry } from '../../shared/cacheEntry.ts';

/** The budget in bytes for a "Cache size (MB)"; null when out of range. */
export function budgetBytes(megabytes: number): number | null {
  if (!Number.isFinite(megabytes) || megabytes < MIN_BUDGET_MB || megabytes > MAX_BUDGET_MB) return null;
  return Math.round(megabytes * BYTES_PER_MB);
}

export interface EvictionRules {
  budgetBytes: number;
  now: number;
  /** The current partition; entries of any other one go at once (null: no connection, so all go). */
  partition: string | null;
  /** The entries just stored: the page that asked for them has yet to read them, so they always stay. */
  keep?: readonly string[];
}

export interface EvictionPlan {
  /** Entries to delete, with their copies. */
  entries: string[];
  /** Entries that keep their thumbnail but lose their full-size original. */
  originals: string[];
  /** What stays, in bytes, once the plan is carried out. */
  bytesAfter: number;
}

const leastRecentlyUsedFirst = (a: CacheEntry, b: CacheEntry): number => a.usedAt - b.usedAt || a.storedAt - b.storedAt;

/**
 * Other partitions' and expired entries go first, whatever the budget. Then, while over budget,
 * full-size originals that have a thumbnail beside it go, least recently used first (a thumbnail is
 * what makes a lookup instant), and after them whole entries, least recently used first.
 */
export function planEviction(entries: readonly CacheEntry[], rules: EvictionRules): EvictionPlan {
  const plan: EvictionPlan = { entries: [], originals: [], bytesAfter: 0 };
  const live: CacheEntry[] = [];
  for (const entry of entries) {
    if (entry.partition !== rules.partition || isExpired(entry, rules.now)) plan.entries.push(entry.id);
    else live.push(entry);
  }
  let bytes = live.reduce((sum, entry) => sum + entryBytes(entry), 0);
  plan.bytesAfter = bytes;
  // The usual case after a write: nothing more to do, and no need to sort thousands of entries.
  if (bytes <= rules.budgetBytes) return plan;
  live.sort(leastRecentlyUsedFirst);
  const keep = new Set(rules.keep);
  const candidates = live.filter((entry) => !keep.has(entry.id));
  for (const entry of candidates) {
    if (bytes <= rules.budgetBytes) break;
    if (entry.original && entry.thumbnail) {
      plan.originals.push(entry.id);
      bytes -= entry.original.bytes;
    }
  }
  const losingOriginal = new Set(plan.originals);
  for (const entry of candidates) {
    if (bytes <= rules.budgetBytes) break;
    plan.entries.push(entry.id);
    bytes -= entryBytes(entry) - (losingOriginal.has(entry.id) ? (entry.original?.bytes ?? 0) : 0);
    losingOriginal.delete(entry.id);
  }
  plan.originals = plan.originals.filter((id) => losingOriginal.has(id));
  plan.bytesAfter = bytes;
  return plan;
}

/**
 * After a QuotaExceededError the browser has no room even though our budget does: the origin's quota
 * is shared with upload jobs and the disk may be nearly full. Halving what the cache holds (or less,
 * if the budget is lower) frees room for the retry and for a few more writes, without emptying it.
 */
export const budgetAfterQuotaError = (heldBytes: number, budget: number): number => Math.min(budget, Math.floor(heldBytes / 2));

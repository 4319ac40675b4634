/**
 * What the image cache keeps and what it lets go. Pure: given the entries, the budget and the time,
 * it returns a plan; src/worker/cache/imageCache.ts carries it out in the transaction that wrote.
 */
import { entryBytes, isExpired, type CacheEntry } from './imageCache.ts';

export interface EvictionRules {
  budgetBytes: number;
  now: number;
  /** The current partition; entries of any other one go at once (null: no connection, so all go). */
  partition: string | null;
  /** The entries just stored: the page that asked for them has yet to show them, so they always stay. */
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
 * full-size originals that have a thumbnail beside them go, least recently used first (a thumbnail is
 * what makes a lookup instant), and after them whole entries, least recently used first.
 */
export function planEviction(entries: readonly CacheEntry[], rules: EvictionRules): EvictionPlan {
  const plan: EvictionPlan = { entries: [], originals: [], bytesAfter: 0 };
  const keep = new Set(rules.keep);
  const live: CacheEntry[] = [];
  for (const entry of entries) {
    if (entry.partition !== rules.partition || isExpired(entry, rules.now)) plan.entries.push(entry.id);
    else live.push(entry);
  }
  let bytes = live.reduce((sum, entry) => sum + entryBytes(entry), 0);
  const candidates = live.filter((entry) => !keep.has(entry.id)).sort(leastRecentlyUsedFirst);
  for (const entry of candidates) {
    if (bytes <= rules.budgetBytes) break;
    if (entry.original && entry.thumbnail) {
      plan.originals.push(entry.id);
      bytes -= entry.original;
    }
  }
  const losingOriginal = new Set(plan.originals);
  for (const entry of candidates) {
    if (bytes <= rules.budgetBytes) break;
    plan.entries.push(entry.id);
    bytes -= entry.thumbnail + (losingOriginal.delete(entry.id) ? 0 : entry.original);
  }
  plan.originals = plan.originals.filter((id) => losingOriginal.has(id));
  plan.bytesAfter = bytes;
  return plan;
}

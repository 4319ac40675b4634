import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetBytes, CACHE_MAX_AGE_MS } from '../../../src/shared/cacheLimits.ts';
import { planEviction } from '../../../src/worker/cache/cachePolicy.ts';
import { entryId, type CacheEntry } from '../../../src/worker/cache/imageCache.ts';

const NOW = Date.UTC(2026, 5, 1);

function entry(query: string, usedAt: number, sizes: { original?: number; thumbnail?: number }, partition = 'p'): CacheEntry {
  return {
    id: entryId(partition, query),
    partition,
    query,
    contentType: 'image/png',
    size: sizes.original ?? 0,
    thumbnail: sizes.thumbnail ?? 0,
    original: sizes.original ?? 0,
    storedAt: usedAt,
    usedAt,
  };
}

test('within budget, nothing goes', () => {
  const entries = [entry('a', NOW - 3, { original: 400 }), entry('b', NOW - 2, { original: 600 })];
  assert.deepEqual(planEviction(entries, { budgetBytes: 1_000, now: NOW, partition: 'p' }), { entries: [], originals: [], bytesAfter: 1_000 });
});

test('over budget, least recently used entries go first, whatever order they are listed in', () => {
  const entries = [entry('new', NOW - 1, { original: 400 }), entry('old', NOW - 9, { original: 400 }), entry('mid', NOW - 5, { original: 400 })];
  const plan = planEviction(entries, { budgetBytes: 500, now: NOW, partition: 'p' });
  assert.deepEqual(plan.entries, [entryId('p', 'old'), entryId('p', 'mid')]);
  assert.equal(plan.bytesAfter, 400);
});

test('originals beside a thumbnail go before any whole entry; an entry that then goes is not listed twice', () => {
  const entries = [
    entry('a', NOW - 9, { original: 500, thumbnail: 50 }),
    entry('b', NOW - 8, { original: 500 }),
    entry('c', NOW - 7, { original: 500, thumbnail: 50 }),
  ];
  assert.deepEqual(planEviction(entries, { budgetBytes: 1_100, now: NOW, partition: 'p' }), {
    entries: [],
    originals: [entryId('p', 'a')],
    bytesAfter: 1_100,
  });
  // Tighter: both originals go, and then whole entries from the oldest, a (already without its original) first.
  assert.deepEqual(planEviction(entries, { budgetBytes: 500, now: NOW, partition: 'p' }), {
    entries: [entryId('p', 'a'), entryId('p', 'b')],
    originals: [entryId('p', 'c')],
    bytesAfter: 50,
  });
});

test('the entries just stored are kept even when they alone exceed the budget', () => {
  const entries = [entry('old', NOW - 9, { original: 100 }), entry('just', NOW, { original: 5_000 })];
  const plan = planEviction(entries, { budgetBytes: 1_000, now: NOW, partition: 'p', keep: [entryId('p', 'just')] });
  assert.deepEqual(plan.entries, [entryId('p', 'old')]);
  assert.equal(plan.bytesAfter, 5_000);
});

test('expired entries and other partitions go whatever the budget; null partition lets everything go', () => {
  const fresh = entry('fresh', NOW, { original: 10 });
  const expired = { ...entry('expired', NOW, { original: 10 }), storedAt: NOW - CACHE_MAX_AGE_MS - 1 };
  const edge = { ...entry('edge', NOW, { original: 10 }), storedAt: NOW - CACHE_MAX_AGE_MS };
  const other = entry('other', NOW, { original: 10 }, 'q');
  const plan = planEviction([fresh, expired, edge, other], { budgetBytes: 1_000, now: NOW, partition: 'p' });
  assert.deepEqual(plan.entries, [expired.id, other.id]);
  assert.deepEqual(planEviction([fresh, other], { budgetBytes: 1_000, now: NOW, partition: null }).entries, [fresh.id, other.id]);
});

test('ties in last use fall back to the older store time', () => {
  const entries = [{ ...entry('b', NOW, { original: 100 }), storedAt: NOW - 1 }, { ...entry('a', NOW, { original: 100 }), storedAt: NOW - 2 }];
  assert.deepEqual(planEviction(entries, { budgetBytes: 100, now: NOW, partition: 'p' }).entries, [entryId('p', 'a')]);
});

test('budget in MB: whole and fractional MB within 1-2048, nothing else', () => {
  assert.equal(budgetBytes(50), 50 * 1024 * 1024);
  assert.equal(budgetBytes(1.5), 1.5 * 1024 * 1024);
  for (const wrong of [0, 0.5, 2049, Number.NaN, Number.POSITIVE_INFINITY, -1]) assert.equal(budgetBytes(wrong), null, String(wrong));
});

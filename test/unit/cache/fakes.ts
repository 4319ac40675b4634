/** Doubles for the image cache's tests: a fresh IndexedDB (fake-indexeddb) per cache, a clock that
 * moves only when told to, and blob writes that fail with the browser's quota error when armed. */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { DEFAULT_BUDGET_MB } from '../../../src/shared/cacheLimits.ts';
import { BYTES_PER_MB } from '../../../src/shared/messages.ts';
import { createImageCache, type ImageToKeep } from '../../../src/worker/cache/imageCache.ts';

export class FakeClock {
  constructor(public at = Date.UTC(2026, 0, 1)) {}
  readonly now = (): number => this.at;
  advance(ms: number): void {
    this.at += ms;
  }
}

/** The next `times` Blob writes throw a QuotaExceededError, as IndexedDB does when the origin is out of quota. */
export function failBlobWrites(times: number): { left: () => number } {
  let left = times;
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (this.name === 'blobs' && left > 0) {
      left -= 1;
      if (left === 0) IDBObjectStore.prototype.put = put;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return put.apply(this, args);
  };
  return { left: () => left };
}

export const bytes = (size: number, type = 'image/png'): Blob => new Blob([new Uint8Array(size)], { type });

export function setup(options: { budgetBytes?: number } = {}) {
  const clock = new FakeClock();
  let budgetBytes = options.budgetBytes ?? DEFAULT_BUDGET_MB * BYTES_PER_MB;
  const indexedDB = new IDBFactory();
  const cache = createImageCache({ indexedDB, budget: async () => budgetBytes, now: clock.now });
  return {
    cache,
    clock,
    indexedDB,
    setBudget: (bytes: number) => {
      budgetBytes = bytes;
    },
  };
}

/** An image of `size` bytes filed under one lookup: an original, or a thumbnail as well when asked. */
export function image(partition: string, query: string, size: number, withThumbnail = 0): ImageToKeep {
  return {
    partition,
    queries: [query],
    contentType: 'image/png',
    size,
    thumbnail: withThumbnail ? bytes(withThumbnail, 'image/webp') : null,
    original: bytes(size),
  };
}

export const MB = BYTES_PER_MB;

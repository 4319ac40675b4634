/** Doubles for the image cache's tests: fresh IndexedDB stores (fake-indexeddb), a clock that moves
 * only when told to, and a store whose writes fail with the browser's quota error. */
import 'fake-indexeddb/auto';
import { createStore, type UseStore } from 'idb-keyval';
import { BYTES_PER_MB } from '../../../src/shared/cacheEntry.ts';
import { createImageCache, type ImageToKeep } from '../../../src/worker/cache/imageCache.ts';
import { FakeStorageArea } from '../worker/fakeStorage.ts';

let stores = 0;

/** Stores no other test has touched. */
export function freshStores(): { entries: UseStore; blobs: UseStore } {
  stores += 1;
  return { entries: createStore(`entries-${stores}`, 'entries'), blobs: createStore(`blobs-${stores}`, 'blobs') };
}

export class FakeClock {
  constructor(public at = Date.UTC(2026, 0, 1)) {}
  readonly now = (): number => this.at;
  advance(ms: number): void {
    this.at += ms;
  }
}

/** A store whose next puts, once armed with `failNext(n)`, throw a QuotaExceededError DOMException
 * as IndexedDB does when the origin is out of quota. */
export function quotaFailures(store: UseStore): UseStore & { failNext(times: number): void; left(): number } {
  let left = 0;
  const put = (): never => {
    left -= 1;
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  const get = (target: IDBObjectStore, name: string | symbol): unknown => {
    if (name === 'put' && left > 0) return put;
    const value: unknown = Reflect.get(target, name, target);
    return typeof value === 'function' ? value.bind(target) : value;
  };
  const failing: UseStore = (mode, callback) => store(mode, (objectStore) => callback(new Proxy(objectStore, { get })));
  return Object.assign(failing, {
    failNext: (times: number) => {
      left = times;
    },
    left: () => left,
  });
}

export const bytes = (size: number, type = 'image/png'): Blob => new Blob([new Uint8Array(size)], { type });

export function setup(options: { budgetBytes?: number; stores?: { entries: UseStore; blobs: UseStore } } = {}) {
  const clock = new FakeClock();
  const local = new FakeStorageArea();
  if (options.budgetBytes !== undefined) local.data.set('cacheBudgetBytes', options.budgetBytes);
  const cache = createImageCache({ ...(options.stores ?? freshStores()), local, now: clock.now });
  return { cache, clock, local };
}

/** An image of `size` bytes filed under one lookup: an original, or a thumbnail as well when asked. */
export function image(partition: string, query: string, size: number, withThumbnail = 0): ImageToKeep {
  return {
    partition,
    queries: [query],
    contentType: 'image/png',
    size,
    digest: `digest-${query}-${size}`,
    thumbnail: withThumbnail ? bytes(withThumbnail, 'image/webp') : null,
    original: bytes(size),
  };
}

export const MB = BYTES_PER_MB;

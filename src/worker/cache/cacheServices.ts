/**
 * The image cache wired to the browser: its IndexedDB stores, `storage.local`, the thumbnail maker,
 * the partition of the saved connection, and the sweep alarm. Building it does no I/O.
 */
import { createStore } from 'idb-keyval';
import browser from 'webextension-polyfill';
import { CACHE_DATABASES, MAX_BUDGET_MB, MIN_BUDGET_MB } from '../../shared/cacheEntry.ts';
import { t } from '../../shared/i18n.ts';
import type { CacheStats } from '../../shared/messages.ts';
import type { JobBinding } from '../../shared/uploadJob.ts';
import { InvalidInput } from '../invalidInput.ts';
import { partitionOf } from '../partition.ts';
import { budgetBytes } from './cachePolicy.ts';
import { createImageCache } from './imageCache.ts';
import { createKeepImage } from './keepImage.ts';
import { createRememberUpload } from './rememberUpload.ts';
import { makeThumbnail } from './thumbnail.ts';

export const CACHE_SWEEP_ALARM = 'image-cache-sweep';
/** Writes enforce the budget as they go; the sweep catches expiry and leftovers, so hourly is plenty. */
const SWEEP_EVERY_MINUTES = 60;

export function createCacheServices(whose: () => Promise<JobBinding | null>) {
  const imageCache = createImageCache({
    entries: createStore(...CACHE_DATABASES.entries),
    blobs: createStore(...CACHE_DATABASES.blobs),
    local: browser.storage.local,
    now: Date.now,
  });
  const keepImage = createKeepImage({ cache: imageCache, makeThumbnail });

  /** The current identity's partition; null while there is no credential. */
  async function currentPartition(): Promise<string | null> {
    const who = await whose();
    return who && partitionOf(who);
  }

  const followSettings = async (): Promise<void> => imageCache.usePartition(await currentPartition());

  return {
    imageCache,
    keepImage,
    rememberUpload: createRememberUpload(imageCache, keepImage),
    followSettings,

    /** For settings handlers: the previous identity's images are gone before the page hears "saved". */
    async afterSettingsChange<T>(answer: T): Promise<T> {
      await followSettings();
      return answer;
    },

    /** The alarm's work; never throws, since nobody waits on it. */
    async sweep(): Promise<void> {
      try {
        const partition = await currentPartition();
        await imageCache.usePartition(partition);
        await imageCache.sweep(partition);
      } catch (error) {
        console.warn('Glean Images: the image cache sweep failed', error instanceof Error ? error.name : typeof error);
      }
    },

    /**
     * Creates the sweep alarm unless it exists. Chrome may drop alarms when the browser restarts
     * (https://developer.chrome.com/docs/extensions/reference/api/alarms), so this runs on install
     * and on every browser start.
     */
    async scheduleSweep(): Promise<void> {
      if (await browser.alarms.get(CACHE_SWEEP_ALARM)) return;
      await browser.alarms.create(CACHE_SWEEP_ALARM, { delayInMinutes: 1, periodInMinutes: SWEEP_EVERY_MINUTES });
    },

    stats: (): Promise<CacheStats> => imageCache.stats(),

    async clear(): Promise<CacheStats> {
      await imageCache.clear();
      return imageCache.stats();
    },

    async setBudget(megabytes: number): Promise<CacheStats> {
      const bytes = budgetBytes(megabytes);
      if (bytes === null) throw new InvalidInput(t('settingsCacheSizeOutOfRange', MIN_BUDGET_MB, MAX_BUDGET_MB));
      await imageCache.setBudget(bytes, await currentPartition());
      return imageCache.stats();
    },
  };
}

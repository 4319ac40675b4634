/**
 * The image cache wired to the browser: its database, the budget in `storage.local`, the thumbnail
 * maker, the partition of the saved connection, and the sweep alarm. Building it does no I/O.
 */
import { browser } from '../../shared/browser.ts';
import { budgetBytes, DEFAULT_BUDGET_MB } from '../../shared/cacheLimits.ts';
import { t } from '../../shared/i18n.ts';
import { BYTES_PER_MB, MAX_BUDGET_MB, MIN_BUDGET_MB, type CacheStats } from '../../shared/messages.ts';
import type { JobBinding } from '../../shared/uploadJob.ts';
import { InvalidInput } from '../invalidInput.ts';
import { partitionOf } from '../partition.ts';
import { createImageCache } from './imageCache.ts';
import { createKeepImage, createRememberUpload } from './keepImage.ts';
import { makeThumbnail } from './thumbnail.ts';
import { logWarning } from '../../shared/logFailure.ts';

export const CACHE_SWEEP_ALARM = 'image-cache-sweep';
/** Writes enforce the budget as they go; the sweep catches expiry, so hourly is plenty. */
const SWEEP_EVERY_MINUTES = 60;
const BUDGET_KEY = 'cacheBudgetBytes';

async function budget(): Promise<number> {
  const { [BUDGET_KEY]: bytes } = await browser.storage.local.get(BUDGET_KEY);
  return typeof bytes === 'number' && bytes > 0 ? bytes : DEFAULT_BUDGET_MB * BYTES_PER_MB;
}

export function createCacheServices(whose: () => Promise<JobBinding | null>) {
  const imageCache = createImageCache({ indexedDB, budget, now: Date.now });
  const keepImage = createKeepImage({ cache: imageCache, makeThumbnail });

  /** The current identity's partition; null while there is no credential. */
  async function currentPartition(): Promise<string | null> {
    const who = await whose();
    return who && partitionOf(who);
  }

  const followSettings = async (): Promise<void> => imageCache.usePartition(await currentPartition());
  const stats = async (): Promise<CacheStats> => ({ ...(await imageCache.stats()), budgetBytes: await budget() });

  return {
    imageCache,
    keepImage,
    followSettings,

    /** For settings handlers: the previous identity's images are gone before the page hears "saved". */
    async afterSettingsChange<T>(answer: T): Promise<T> {
      await followSettings();
      return answer;
    },

    rememberUpload: createRememberUpload(imageCache, keepImage),

    /** The alarm's work; never throws, since nobody waits on it. */
    async sweep(): Promise<void> {
      try {
        await imageCache.sweep(await currentPartition());
      } catch (error) {
        logWarning('the image cache sweep failed', error);
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

    stats,

    async clear(): Promise<CacheStats> {
      await imageCache.clear();
      return stats();
    },

    async setBudget(megabytes: number): Promise<CacheStats> {
      const bytes = budgetBytes(megabytes);
      if (bytes === null) throw new InvalidInput(t('settingsCacheSizeOutOfRange', MIN_BUDGET_MB, MAX_BUDGET_MB));
      await browser.storage.local.set({ [BUDGET_KEY]: bytes });
      await imageCache.sweep(await currentPartition());
      return stats();
    },
  };
}

/** "Image cache": what the cache holds, how large it may grow, and a way to empty it. */
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import { BYTES_PER_MB as MB, MAX_BUDGET_MB, MIN_BUDGET_MB, type CacheStats } from '../shared/messages.ts';
import { errorText } from '../ui/Messages.tsx';
import { useBusy } from '../ui/useBusy.ts';

function describeStats({ entries, bytes, budgetBytes }: CacheStats): string {
  return t(entries === 1 ? 'optionsCacheStatsOne' : 'optionsCacheStatsMany', entries, (bytes / MB).toFixed(1), Math.round(budgetBytes / MB));
}

/** `managed`: an administrator set the size by policy; it shows read-only. */
export function CacheSection({ managed }: { managed: boolean }) {
  const [stats, setStats] = useState<CacheStats | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [budget, setBudget] = useState('');
  const [busy, whileBusy] = useBusy();

  const run = (work: () => Promise<CacheStats>) => {
    setProblem(null);
    whileBusy(work()).then(
      (next) => {
        setStats(next);
        setBudget(String(Math.round(next.budgetBytes / MB)));
      },
      (error: unknown) => setProblem(errorText(error)),
    );
  };

  useEffect(() => run(() => ask('cache/stats', null)), []);

  const onBudget = (event: Event) => {
    event.preventDefault();
    const megabytes = Number(budget);
    if (budget.trim() === '' || megabytes === (stats && Math.round(stats.budgetBytes / MB))) return;
    run(() => ask('cache/setBudget', { megabytes }));
  };

  return (
    <form aria-labelledby="cache-title" onSubmit={onBudget}>
      <h2 id="cache-title">{t('optionsCacheTitle')}</h2>
      <p class="hint-inline" id="cache-stats" aria-live="polite">
        {problem ?? (stats ? describeStats(stats) : t('optionsCacheReading'))}
      </p>
      <label class="field">
        <span>{t('optionsCacheSizeLabel')}</span>
        <input
          type="number"
          name="cacheSize"
          min={MIN_BUDGET_MB}
          max={MAX_BUDGET_MB}
          step={1}
          value={budget}
          readOnly={managed}
          aria-describedby={managed ? 'cache-stats cache-managed' : 'cache-stats'}
          onInput={(event) => setBudget(event.currentTarget.value)}
          onChange={onBudget}
        />
      </label>
      {managed && (
        <small id="cache-managed" class="managed">
          {t('optionsManaged')}
        </small>
      )}
      <button type="button" onClick={() => run(() => ask('cache/clear', null))} disabled={busy}>
        {t('optionsClearCache')}
      </button>
    </form>
  );
}

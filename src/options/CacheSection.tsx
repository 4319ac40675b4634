/** "Image cache": what the cache holds, how large it may grow, and a way to empty it. */
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask.ts';
import { BYTES_PER_MB as MB, MAX_BUDGET_MB, MIN_BUDGET_MB } from '../shared/cacheEntry.ts';
import type { CacheStats } from '../shared/messages.ts';
import { errorText } from '../ui/Messages.tsx';

function describeStats({ entries, bytes, budgetBytes }: CacheStats): string {
  return `${entries} ${entries === 1 ? 'image' : 'images'}, ${(bytes / MB).toFixed(1)} MB of ${Math.round(budgetBytes / MB)} MB`;
}

export function CacheSection() {
  const [stats, setStats] = useState<CacheStats | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [budget, setBudget] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<CacheStats>) => {
    setBusy(true);
    setProblem(null);
    try {
      const next = await work();
      setStats(next);
      setBudget(String(Math.round(next.budgetBytes / MB)));
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => void run(() => ask('cache/stats', null)), []);

  const onBudget = (event: Event) => {
    event.preventDefault();
    const megabytes = Number(budget);
    if (budget.trim() === '' || megabytes === (stats && Math.round(stats.budgetBytes / MB))) return;
    void run(() => ask('cache/setBudget', { megabytes }));
  };

  return (
    <form aria-labelledby="cache-title" onSubmit={onBudget}>
      <h2 id="cache-title">Image cache</h2>
      <p class="hint-inline" id="cache-stats" aria-live="polite">
        {problem ?? (stats ? `Holds ${describeStats(stats)}.` : 'Reading the cache…')}
      </p>
      <label class="field">
        <span>Cache size (MB)</span>
        <input
          type="number"
          name="cacheSize"
          min={MIN_BUDGET_MB}
          max={MAX_BUDGET_MB}
          step={1}
          value={budget}
          aria-describedby="cache-stats"
          onInput={(event) => setBudget(event.currentTarget.value)}
          onChange={onBudget}
        />
      </label>
      <button type="button" onClick={() => run(() => ask('cache/clear', null))} disabled={busy}>
        Clear cache
      </button>
    </form>
  );
}

/** Work a button started: `busy` while it runs (so the button cannot start it twice), whatever its outcome. */
import { useState } from 'preact/hooks';

export function useBusy(): [busy: boolean, whileBusy: <T>(work: Promise<T>) => Promise<T>] {
  const [busy, setBusy] = useState(false);
  const whileBusy = <T,>(work: Promise<T>): Promise<T> => {
    setBusy(true);
    return work.finally(() => setBusy(false));
  };
  return [busy, whileBusy];
}

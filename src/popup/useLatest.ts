/** The value of the latest render, for a listener registered once at mount: callers need not keep their callbacks stable. */
import { useRef } from 'preact/hooks';

export function useLatest<T>(value: T): { readonly current: T } {
  const latest = useRef(value);
  latest.current = value;
  return latest;
}

/**
 * Something the worker keeps in `storage.session` under one key (the jobs' revision, the pending image's
 * note), read when the component mounts and again whenever the worker changes that key.
 */
import { useEffect } from 'preact/hooks';
import { browser } from '../shared/browser.ts';
import type { Storage } from 'webextension-polyfill';
import { useLatest } from './useLatest.ts';

export function useSessionKey(key: string, read: () => void): void {
  const latest = useLatest(read);
  useEffect(() => {
    const onChanged = (changes: Record<string, Storage.StorageChange>, area: string) => {
      if (area === 'session' && key in changes) latest.current();
    };
    browser.storage.onChanged.addListener(onChanged);
    latest.current();
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, [key]);
}

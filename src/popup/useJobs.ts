/** The upload jobs, newest first, re-read whenever the worker says they changed. */
import { useEffect, useState } from 'preact/hooks';
import { browser } from '../shared/browser.ts';
import type { Storage } from 'webextension-polyfill';
import type { UploadJob } from '../shared/uploadJob.ts';
import { listJobs, UPLOADS_REVISION_KEY } from '../shared/uploadStore.ts';

export function useJobs(): UploadJob[] {
  const [jobs, setJobs] = useState<UploadJob[]>([]);
  useEffect(() => {
    const refresh = () => void listJobs().then(setJobs);
    const onChanged = (changes: Record<string, Storage.StorageChange>, area: string) => {
      if (area === 'session' && UPLOADS_REVISION_KEY in changes) refresh();
    };
    browser.storage.onChanged.addListener(onChanged);
    refresh();
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);
  return jobs;
}

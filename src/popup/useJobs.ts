/** The upload jobs, newest first, re-read whenever the worker says they changed. */
import { useState } from 'preact/hooks';
import type { UploadJob } from '../shared/uploadJob.ts';
import { listJobs, UPLOADS_REVISION_KEY } from '../shared/uploadStore.ts';
import { useSessionKey } from './useSessionKey.ts';

export function useJobs(): UploadJob[] {
  const [jobs, setJobs] = useState<UploadJob[]>([]);
  useSessionKey(UPLOADS_REVISION_KEY, () => void listJobs().then(setJobs));
  return jobs;
}

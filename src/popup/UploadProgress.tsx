/**
 * What an upload that is running says about itself: its size, how long it has been going, and a bar.
 * The bar is indeterminate: the worker sends with `fetch`, which reports no upload progress (a Chrome
 * service worker has no XMLHttpRequest, and streamed request bodies need HTTP/2 and exist only in
 * Chrome: https://developer.chrome.com/docs/capabilities/web-apis/fetch-streaming-requests), so no
 * browser here can say how many bytes have been sent, and a bar that guessed would mislead.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import type { UploadJob } from '../shared/uploadJob.ts';
import { formatBytes } from './ImageResult.tsx';

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return seconds < 60 ? t('elapsedSeconds', seconds) : t('elapsedMinutes', Math.floor(seconds / 60), String(seconds % 60).padStart(2, '0'));
}

export function UploadProgress({ job }: { job: UploadJob }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  // The attempt began when the job turned "uploading" (src/worker/uploads/jobMachine.ts startAttempt).
  return (
    <p class="job-progress">
      <progress aria-label={t('uploadProgressLabel', job.fileName)} />
      <span>{t('uploadProgressText', formatBytes(job.size), formatElapsed(now - job.updatedAt))}</span>
    </p>
  );
}

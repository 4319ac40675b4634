/** "Recent uploads": the current identity's jobs, newest first, with their state in words, URL, and Retry when failed or held. */
import { useEffect, useState } from 'preact/hooks';
import { ask, fetchImage } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import { stateWords, type UploadJob } from '../shared/uploadJob.ts';
import { imageAddress } from '../shared/imageAddress.ts';
import { readBlob } from '../shared/uploadStore.ts';
import { errorText } from '../ui/Messages.tsx';
import { copyImage } from './copyImage.ts';
import { copyText, markdownImage } from './copyText.ts';
import { jobPreview, makePreview } from './previews.ts';
import { UploadProgress } from './UploadProgress.tsx';
import { useJobs } from './useJobs.ts';

type CopyForm = 'url' | 'markdown' | 'image';

/** The uploaded image's bytes: still in the upload store, or the copy the cache kept. */
async function uploadedImage(job: UploadJob): Promise<Blob | undefined> {
  const key = job.result?.key;
  return (await readBlob(job.id)) ?? (key ? (await fetchImage(imageAddress({ key }, { cacheOnly: true })).catch(() => undefined))?.blob : undefined);
}

/**
 * A small copy of the job's image (src/popup/previews.ts): the one the upload form made when this
 * popup started the job, else one made from its bytes while they wait in the upload store, else from
 * what the cache kept once uploaded. Made again only when the job becomes uploaded, not at every
 * state it passes through.
 */
async function thumbnailOf(job: UploadJob): Promise<{ url: string; owned: boolean } | undefined> {
  const kept = jobPreview(job.id);
  if (kept) return { url: kept, owned: false };
  const blob = await uploadedImage(job);
  return blob && { url: await makePreview(blob), owned: true };
}

function Thumbnail({ job }: { job: UploadJob }) {
  const [url, setUrl] = useState<string | null>(null);
  const uploaded = job.state === 'uploaded';
  useEffect(() => {
    let current = true;
    let owned: string | null = null;
    thumbnailOf(job).then(
      (made) => {
        if (made?.owned) owned = made.url;
        // The job changed while it was made: that run shows its own (and this one is revoked below).
        if (!current) {
          if (owned) URL.revokeObjectURL(owned);
          return;
        }
        // Also when there is nothing to show now: the previous run's address is revoked, and an image
        // left on it would show as broken.
        setUrl(made?.url ?? null);
      },
      () => current && setUrl(null),
    );
    return () => {
      current = false;
      if (owned) URL.revokeObjectURL(owned);
    };
  }, [job.id, uploaded]); // Remade once uploaded, not at every state the job passes through: see thumbnailOf.
  return url ? <img class="thumb" src={url} alt="" /> : <span class="thumb" aria-hidden="true" />;
}

function UploadItem({ job }: { job: UploadJob }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState<CopyForm | null>(null);
  const act = (work: () => Promise<unknown>) => () => {
    setProblem(null);
    work().catch((error: unknown) => setProblem(errorText(error)));
  };
  // Each starts its clipboard write synchronously in the click (src/popup/copyText.ts, copyImage.ts).
  const copy = (form: CopyForm) =>
    act(async () => {
      if (!job.result) return;
      setCopied(null);
      if (form === 'url') await copyText(job.result.url);
      else if (form === 'markdown') await copyText(markdownImage(job.fileName, job.result.url));
      else await copyImage(() => uploadedImage(job));
      setCopied(form);
    });
  return (
    <li class={`job ${job.state}`} aria-label={job.fileName}>
      <Thumbnail job={job} />
      <div class="job-body">
        <div class="job-title">
          <span class="name">{job.fileName}</span>
          <span class="state">{t(stateWords(job))}</span>
        </div>
        {job.result && (
          <p class="job-url">
            <a href={job.result.url} target="_blank" rel="noreferrer">
              {job.result.url}
            </a>
            {job.result.key && <span class="key">{t('popupJobKey', job.result.key)}</span>}
          </p>
        )}
        {job.state === 'uploading' && <UploadProgress job={job} />}
        {/* Failed, waiting, or queued to try again after one; not while that try runs (src/worker/uploads/jobMachine.ts). */}
        {job.lastError && job.state !== 'uploading' && <p class="job-error">{job.lastError.message}</p>}
        {problem && <p role="alert" class="job-error">{problem}</p>}
        <div class="job-actions">
          {job.result && (
            <>
              <button type="button" onClick={copy('url')}>
                {t(copied === 'url' ? 'popupCopied' : 'popupCopyUrl')}
              </button>
              <button type="button" onClick={copy('markdown')}>
                {t(copied === 'markdown' ? 'popupCopied' : 'popupCopyMarkdown')}
              </button>
              <button type="button" onClick={copy('image')}>
                {t(copied === 'image' ? 'popupCopied' : 'popupCopyImage')}
              </button>
            </>
          )}
          {(job.state === 'failed' || (job.state === 'waiting' && job.waitingFor === 'identity')) && (
            <button type="button" onClick={act(() => ask('upload/retry', { jobId: job.id }))}>
              {t('popupRetry')}
            </button>
          )}
          <button type="button" class="link" onClick={act(() => ask('upload/remove', { jobId: job.id }))}>
            {t('popupRemove')}
          </button>
        </div>
      </div>
    </li>
  );
}

/**
 * `identity`: whose uploads to show (settings' `identity`): another sign-in, token or act-as user never
 * sees them. Uploads not yet bound to anyone (started before any sign-in) show to everyone.
 */
export function RecentUploads({ identity }: { identity: string | null }) {
  const jobs = useJobs().filter((job) => !job.boundTo || job.boundTo.identity === identity);
  return (
    <section class="card" aria-labelledby="uploads-title">
      <h2 id="uploads-title">{t('popupRecentUploadsTitle')}</h2>
      <ul class="jobs" aria-labelledby="uploads-title">
        {jobs.map((job) => (
          <UploadItem key={job.id} job={job} />
        ))}
      </ul>
      {jobs.length === 0 && <p class="hint-inline">{t('popupNothingUploaded')}</p>}
    </section>
  );
}

/**
 * "Upload image": images picked, dropped, pasted, captured from the tab or fetched from a pasted link,
 * each checked by its bytes and shown with a preview; one set of details for all; "Upload" hands each
 * to the worker as its own job and says how far the batch has come.
 */
import { useRef, useState } from 'preact/hooks';
import { ask } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import type { ImageMetadata } from '../shared/imageMetadata.ts';
import { checkImageFile } from '../shared/imageSniff.ts';
import { checkMetadata } from '../shared/metadataCheck.ts';
import { forgetPendingImage, type PendingImage } from '../shared/pendingImage.ts';
import { writeBlob } from '../shared/uploadStore.ts';
import { MetadataFields } from '../ui/MetadataFields.tsx';
import { errorText, NoticeLine, type Notice } from '../ui/Messages.tsx';
import { CropEditor } from './CropEditor.tsx';
import { useDraft } from './drafts.ts';
import { formatBytes } from './ImageResult.tsx';
import { LinkOffer } from './LinkOffer.tsx';
import { keepJobPreview, makePreview } from './previews.ts';
import { ScreenshotButton } from './Screenshot.tsx';
import { displayName, SelectedImages } from './SelectedImages.tsx';
import { countBatch, type BatchCount, type SelectedImage } from './selection.ts';
import { useImageFromPage } from './useImageFromPage.ts';
import { useJobs } from './useJobs.ts';
import { usePendingImage } from './usePendingImage.ts';

interface Arrival {
  file: File;
  screenshot?: boolean;
  pending?: boolean;
}

/** How far a batch has come: "3 of 5 uploaded", and how many failed. */
function batchProgress({ uploaded, total, failed }: BatchCount): Notice {
  return { kind: 'status', text: failed ? t('popupBatchProgressFailed', uploaded, total, failed) : t('popupBatchProgress', uploaded, total) };
}

export function UploadForm() {
  const [metadata, setMetadata] = useState<ImageMetadata>({});
  const rememberDraft = useDraft('upload', (draft) => setMetadata(draft.metadata));
  const [selected, setSelected] = useState<SelectedImage[]>([]);
  // What the form says: a notice, or how far the batch of jobs it started has come (until the next notice).
  const [said, say] = useState<Notice | { batch: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [cropping, setCropping] = useState<string | null>(null);
  const jobs = useJobs();

  // A preview address is revoked once its image leaves the list. The rest end with the popup: object
  // URLs die with their document (https://w3c.github.io/FileAPI/#lifeTime), and this form lives as long.
  const dropPreview = (url: string | null) => {
    if (url) URL.revokeObjectURL(url);
  };

  /** Takes an image off the list; one waiting in the pending slot is forgotten there too. */
  const remove = (image: SelectedImage) => {
    dropPreview(image.preview);
    // A crop of it under way ends with it: the editor shows only an image still listed.
    setSelected((current) => current.filter((item) => item.id !== image.id));
    if (image.pending) void forgetPendingImage();
  };

  /**
   * It starts like an image, yet the browser cannot draw it: damaged, or more pixels than it will
   * decode (a decompression bomb). Refused here, where another file can still be chosen, rather than
   * uploaded as an image nobody can look at (Glean shows images in a browser too).
   */
  const refuseUndisplayable = (image: SelectedImage) => {
    remove(image);
    say({ kind: 'alert', text: t('fileUndisplayable', image.contentType) });
  };

  /**
   * Makes the small preview of a selected image (its file as it is now: `file`) and shows it, unless
   * the image left the list or was cropped meanwhile. Previews come one after another
   * (src/popup/previews.ts), so a batch's list fills in as they are ready.
   */
  const listed = useRef(selected);
  listed.current = selected;
  const showPreview = (image: SelectedImage, file: File) => {
    const stillListed = () => listed.current.some((item) => item.id === image.id && item.file === file);
    makePreview(file).then(
      // One made for an image removed (or cropped) meanwhile ends with the popup, like the rest.
      (url) => setSelected((current) => current.map((item) => (item.id === image.id && item.file === file ? { ...item, preview: url } : item))),
      () => stillListed() && refuseUndisplayable(image),
    );
  };

  const add = async (arrivals: Arrival[]) => {
    const accepted: SelectedImage[] = [];
    const refused: string[] = [];
    for (const { file, screenshot = false, pending = false } of arrivals) {
      const check = await checkImageFile(file);
      if (!check.ok) {
        refused.push(arrivals.length > 1 ? `${displayName(file)}: ${check.message}` : check.message);
        continue;
      }
      accepted.push({
        id: crypto.randomUUID(),
        file,
        contentType: check.contentType,
        preview: null,
        screenshot,
        pending,
      });
    }
    setSelected((current) => [...current, ...accepted]);
    for (const image of accepted) showPreview(image, image.file);
    if (accepted.some((image) => image.screenshot)) setMetadata((current) => ({ ...current, type: 'FEEDBACK' }));
    if (refused.length > 0) {
      say({ kind: 'alert', text: refused.join(' ') });
    } else if (accepted.length === 1 && accepted[0]) {
      const { file } = accepted[0];
      say({ kind: 'status', text: t('popupFileSelected', file.name || t('popupPastedImage'), formatBytes(file.size)) });
    } else if (accepted.length > 1) {
      const bytes = accepted.reduce((sum, image) => sum + image.file.size, 0);
      say({ kind: 'status', text: t('popupFilesSelected', accepted.length, formatBytes(bytes)) });
    }
  };

  const selectFiles = (files: File[]) => void add(files.map((file) => ({ file })));
  // Each arrival once: the popup reads the slot when it opens and again whenever the slot changes.
  const pendingTaken = useRef(new Set<number>());
  const selectPending = (image: PendingImage) => {
    if (pendingTaken.current.has(image.keptAt)) return;
    pendingTaken.current.add(image.keptAt);
    void add([{ file: image.file, screenshot: image.screenshot, pending: true }]);
  };
  useImageFromPage(selectFiles, setLink);
  usePendingImage(selectPending);

  const replace = (image: SelectedImage, file: File) => {
    dropPreview(image.preview);
    setSelected((current) =>
      current.map((item) => (item.id === image.id ? { ...item, file, contentType: file.type || item.contentType, preview: null } : item)),
    );
    showPreview(image, file);
  };

  const onMetadata = (value: ImageMetadata) => {
    setMetadata(value);
    rememberDraft({ metadata: value });
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (selected.length === 0) {
      say({ kind: 'alert', text: t('popupChooseFileFirst') });
      return;
    }
    const fields = checkMetadata(metadata, { typeRequired: true });
    if (!fields.ok) {
      say({ kind: 'alert', text: fields.message });
      return;
    }
    setBusy(true);
    const started: string[] = [];
    const left: SelectedImage[] = [];
    let problem: string | null = null;
    // One at a time: each Blob is written to IndexedDB and handed over before the next is touched,
    // so twenty large files never sit in memory together (the worker reads each when its job runs).
    for (const image of selected) {
      try {
        const jobId = crypto.randomUUID();
        // The bytes go to IndexedDB, typed by what they are; only the id goes to the worker.
        await writeBlob(jobId, image.file.slice(0, image.file.size, image.contentType));
        await ask('upload/start', { jobId, metadata: fields.metadata, fileName: displayName(image.file) });
        started.push(jobId);
        // "Recent uploads" shows the same small copy, rather than reading and decoding the file again.
        if (image.preview !== null) keepJobPreview(jobId, image.preview);
      } catch (error) {
        problem ??= `${displayName(image.file)}: ${errorText(error)}`;
        left.push(image);
      }
    }
    // An image waiting in the pending slot stays selected until it is uploaded (or others are instead).
    if (started.length > 0) void forgetPendingImage();
    setSelected(left);
    setCropping(null);
    setBusy(false);
    if (problem) say({ kind: 'alert', text: problem });
    else if (started.length > 1) say({ batch: started });
    else say({ kind: 'status', text: t('popupUploadStarted') });
  };

  const shown = said && 'batch' in said ? batchProgress(countBatch(jobs, said.batch)) : said;
  const croppingImage = selected.find((image) => image.id === cropping);

  return (
    // method="dialog": a submit in the prerendered markup before hydration attaches onSubmit does
    // nothing, rather than reload the popup (https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#form-submission-algorithm).
    <form aria-labelledby="upload-title" method="dialog" onSubmit={onSubmit} class="card">
      <h2 id="upload-title">{t('popupUploadTitle')}</h2>
      <label class="field">
        <span>{t('popupImageFileLabel')}</span>
        <input
          type="file"
          name="file"
          multiple
          accept="image/*,.svg,.ico,.avif"
          onChange={(event) => {
            const files = Array.from(event.currentTarget.files ?? []);
            // Emptied at once: the list below holds what was picked, and the same file can be picked again.
            event.currentTarget.value = '';
            if (files.length > 0) selectFiles(files);
          }}
        />
      </label>
      <p class="hint-inline">
        {t('popupDropHint')}{' '}
        <ScreenshotButton
          onCaptured={(file) => void add([{ file, screenshot: true }])}
          onProblem={(text) => say({ kind: 'alert', text })}
        />
      </p>
      {link && (
        <LinkOffer
          link={link}
          onDone={() => setLink(null)}
          onProblem={(text) => say({ kind: 'alert', text })}
        />
      )}
      <SelectedImages
        images={selected}
        onRemove={remove}
        onCrop={(image) => setCropping(image.id)}
        onUndisplayable={refuseUndisplayable}
      />
      {croppingImage && (
        <CropEditor
          // Not keyed on the preview, which arrives after the image: a crop begun before it must not restart.
          key={croppingImage.id}
          file={croppingImage.file}
          onApply={(file) => {
            replace(croppingImage, file);
            setCropping(null);
          }}
          onCancel={() => setCropping(null)}
        />
      )}
      <MetadataFields value={metadata} onChange={onMetadata} />
      <button type="submit" disabled={busy}>
        {t('popupUploadButton')}
      </button>
      <NoticeLine notice={shown} />
    </form>
  );
}

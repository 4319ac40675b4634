/** "Upload image": a file picked, dropped or pasted, checked by its bytes, then handed to the worker as a job. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ask } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import type { ImageMetadata } from '../shared/imageMetadata.ts';
import { checkImageFile } from '../shared/imageSniff.ts';
import { checkMetadata } from '../shared/metadataCheck.ts';
import { forgetPendingImage } from '../shared/pendingImage.ts';
import { writeBlob } from '../shared/uploadStore.ts';
import { MetadataFields } from '../ui/MetadataFields.tsx';
import { errorText, NoticeLine, type Notice } from '../ui/Messages.tsx';
import { rememberDraft, type Drafts } from './drafts.ts';
import { formatBytes } from './ImageResult.tsx';
import { useImageFromPage } from './useImageFromPage.ts';
import { usePendingImage } from './usePendingImage.ts';

interface Selected {
  file: File;
  contentType: string;
  preview: string;
}

export function UploadForm({ draft }: { draft: Drafts['upload'] }) {
  const [metadata, setMetadata] = useState<ImageMetadata>(draft.metadata);
  const [selected, setSelected] = useState<Selected | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => () => selected && URL.revokeObjectURL(selected.preview), [selected]);

  const refuse = useCallback((text: string) => {
    setSelected(null);
    if (fileInput.current) fileInput.current.value = '';
    setNotice({ kind: 'alert', text });
  }, []);

  const select = useCallback(async (file: File) => {
    const check = await checkImageFile(file);
    if (!check.ok) {
      refuse(check.message);
      return;
    }
    setSelected({ file, contentType: check.contentType, preview: URL.createObjectURL(file) });
    setNotice({ kind: 'status', text: t('popupFileSelected', file.name || t('popupPastedImage'), formatBytes(file.size)) });
  }, [refuse]);
  useImageFromPage(select);
  usePendingImage(select);

  const onMetadata = (value: ImageMetadata) => {
    setMetadata(value);
    rememberDraft('upload', { metadata: value });
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (!selected) {
      setNotice({ kind: 'alert', text: t('popupChooseFileFirst') });
      return;
    }
    const fields = checkMetadata(metadata, { typeRequired: true });
    if (!fields.ok) {
      setNotice({ kind: 'alert', text: fields.message });
      return;
    }
    setBusy(true);
    try {
      const jobId = crypto.randomUUID();
      // The bytes go to IndexedDB, typed by what they are; only the id goes to the worker.
      await writeBlob(jobId, selected.file.slice(0, selected.file.size, selected.contentType));
      await ask('upload/start', { jobId, metadata: fields.metadata, fileName: selected.file.name || t('popupPastedFileName') });
      // A right-clicked image stays selected until it is uploaded (or another one is uploaded instead).
      void forgetPendingImage();
      setSelected(null);
      if (fileInput.current) fileInput.current.value = '';
      setNotice({ kind: 'status', text: t('popupUploadStarted') });
    } catch (error) {
      setNotice({ kind: 'alert', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form aria-labelledby="upload-title" onSubmit={onSubmit} class="card">
      <h2 id="upload-title">{t('popupUploadTitle')}</h2>
      <label class="field">
        <span>{t('popupImageFileLabel')}</span>
        <input
          ref={fileInput}
          type="file"
          name="file"
          accept="image/*,.svg,.ico,.avif"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) void select(file);
          }}
        />
      </label>
      {selected && (
        <img
          class="preview"
          src={selected.preview}
          alt={t('popupPreviewAlt', selected.file.name || t('popupPastedFileName'))}
          // It starts like an image, yet the browser cannot draw it: damaged, or more pixels than it
          // will decode (a decompression bomb). Refused here, where another file can still be chosen,
          // rather than uploaded as an image nobody can look at (Glean shows images in a browser too).
          onError={() => refuse(t('fileUndisplayable', selected.contentType))}
        />
      )}
      <p class="hint-inline">{t('popupDropHint')}</p>
      <MetadataFields value={metadata} onChange={onMetadata} />
      <button type="submit" disabled={busy}>
        {t('popupUploadButton')}
      </button>
      <NoticeLine notice={notice} />
    </form>
  );
}

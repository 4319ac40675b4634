/** "Look up image": by key, or by type / ID / datasource / content ID. */
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import type { ImageMetadata, ImageQuery } from '../shared/imageMetadata.ts';
import type { LookUpResult } from '../shared/messages.ts';
import { SNIFF_BYTES, savedImageType } from '../shared/imageSniff.ts';
import { findCachedImage, readCachedImage, type CachedImage } from '../shared/cacheReader.ts';
import { MetadataFields } from '../ui/MetadataFields.tsx';
import { errorText, NoticeLine, type Notice } from '../ui/Messages.tsx';
import { rememberDraft, type Drafts } from './drafts.ts';
import { session } from './session.ts';
import { ImageResult, type ShownImage } from './ImageResult.tsx';

function queryFrom(key: string, metadata: ImageMetadata): ImageQuery | null {
  if (key.trim()) return { key: key.trim() };
  const { type, id, ds, cid } = metadata;
  if (!type && !id?.trim() && !ds?.trim() && !cid?.trim()) return null;
  return { metadata };
}

function describeQuery(query: ImageQuery): string {
  if ('key' in query) return t('popupQueryKey', query.key);
  return Object.values(query.metadata)
    .filter((value) => value)
    .join(' ');
}

export function LookUpForm({ draft }: { draft: Drafts['lookUp'] }) {
  const [key, setKey] = useState(draft.key);
  const [metadata, setMetadata] = useState<ImageMetadata>(draft.metadata);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [shown, setShown] = useState<ShownImage | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => () => shown && URL.revokeObjectURL(shown.url), [shown]);

  const tell = (source: LookUpResult['source']) => setNotice({ kind: 'status', text: t(source === 'cache' ? 'popupFromCache' : 'popupFromGlean') });

  const show = async (image: CachedImage, query: ImageQuery, source: LookUpResult['source']) => {
    const { contentType, size } = image.entry;
    // "Save image" names and types the file by what its bytes are, never by what the server said.
    const saved = savedImageType(new Uint8Array(await image.blob.slice(0, SNIFF_BYTES).arrayBuffer()));
    const blob = saved ? image.blob.slice(0, image.blob.size, saved.contentType) : image.blob;
    const saveAs = saved && `glean-image.${saved.extension}`;
    setShown({ id: image.entry.id, url: URL.createObjectURL(blob), name: describeQuery(query), contentType, size, saveAs });
    tell(source);
  };

  /**
   * The worker's answer, after a cache hit may already be showing: a changed image (or the full-size
   * original of a thumbnail) replaces it; an unchanged one stays, and the status says Glean confirmed it.
   */
  const refresh = async (result: LookUpResult, query: ImageQuery, hit: CachedImage | undefined) => {
    const image = await readCachedImage(result.imageId);
    if (!image) throw new Error(t('popupImageVanished'));
    const upgraded = hit?.isThumbnail === true && !image.isThumbnail;
    if (hit?.entry.digest === image.entry.digest && !upgraded) tell(result.source);
    else await show(image, query, result.source);
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const query = queryFrom(key, metadata);
    if (!query) {
      setNotice({ kind: 'alert', text: t('popupLookUpEmpty') });
      return;
    }
    setBusy(true);
    setNotice({ kind: 'status', text: t('popupLookingUp') });
    // The worker is asked at once, so a miss waits on no cache read; a hit shows before its answer,
    // which then refreshes it from Glean when online.
    const answer = ask('image/lookUp', { query, session });
    answer.catch(() => undefined); // Handled below; this only keeps an early failure from reading as unhandled.
    const hit = await findCachedImage(query).catch(() => undefined);
    if (hit) await show(hit, query, 'cache');
    try {
      await refresh(await answer, query, hit);
    } catch (error) {
      setShown(null);
      setNotice({ kind: 'alert', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form aria-labelledby="lookup-title" onSubmit={onSubmit} class="card">
      <h2 id="lookup-title">{t('popupLookUpTitle')}</h2>
      <label class="field">
        <span>{t('popupKeyLabel')}</span>
        <input
          type="text"
          name="key"
          value={key}
          // The popup opens to be typed into: the first field is ready without a click.
          autoFocus
          autoComplete="off"
          spellcheck={false}
          onInput={(event) => {
            setKey(event.currentTarget.value);
            rememberDraft('lookUp', { key: event.currentTarget.value, metadata });
          }}
        />
      </label>
      <p class="or">{t('popupOr')}</p>
      <MetadataFields
        value={metadata}
        onChange={(value) => {
          setMetadata(value);
          rememberDraft('lookUp', { key, metadata: value });
        }}
      />
      <button type="submit" disabled={busy}>
        {t('popupLookUpButton')}
      </button>
      <NoticeLine notice={notice} />
      {shown && <ImageResult image={shown} />}
    </form>
  );
}

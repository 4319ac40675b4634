/** "Look up image": by key, or by type / ID / datasource / content ID. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import type { ImageMetadata, ImageQuery } from '../shared/imageMetadata.ts';
import { imageAddress, queryKey } from '../shared/imageAddress.ts';
import { fetchImage, type FetchedImage } from '../shared/ask.ts';
import { SNIFF_BYTES, savedImageType } from '../shared/imageSniff.ts';
import { MetadataFields } from '../ui/MetadataFields.tsx';
import { errorText, NoticeLine, type Notice } from '../ui/Messages.tsx';
import { useDraft, type Drafts } from './drafts.ts';
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

export function LookUpForm() {
  const [{ key, metadata }, setDraft] = useState<Drafts['lookUp']>({ key: '', metadata: {} });
  const rememberDraft = useDraft('lookUp', setDraft);
  const edit = (draft: Drafts['lookUp']) => {
    setDraft(draft);
    rememberDraft(draft);
  };
  const [notice, setNotice] = useState<Notice | null>(null);
  const [shown, setShown] = useState<ShownImage | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => () => shown && URL.revokeObjectURL(shown.url), [shown]);

  const show = async (image: FetchedImage, query: ImageQuery) => {
    // "Save image" names and types the file by what its bytes are, never by what the server said.
    const saved = savedImageType(new Uint8Array(await image.blob.slice(0, SNIFF_BYTES).arrayBuffer()));
    const blob = saved ? image.blob.slice(0, image.blob.size, saved.contentType) : image.blob;
    const saveAs = saved && `glean-image.${saved.extension}`;
    const { contentType, size } = image;
    setShown({ query: queryKey(query), url: URL.createObjectURL(blob), name: describeQuery(query), contentType, size, saveAs });
    setNotice({ kind: 'status', text: t(image.source === 'cache' ? 'popupFromCache' : 'popupFromGlean') });
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
    // Both at once: the cache's copy shows while Glean is asked, and Glean's answer then replaces it
    // (or, offline, the cache answers again).
    const fresh = fetchImage(imageAddress(query, { session }));
    fresh.catch(() => undefined); // Handled below; this only keeps an early failure from reading as unhandled.
    const hit = await fetchImage(imageAddress(query, { cacheOnly: true })).catch(() => undefined);
    if (hit) await show(hit, query);
    try {
      await show(await fresh, query);
    } catch (error) {
      setShown(null);
      setNotice({ kind: 'alert', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    // method="dialog": a submit in the prerendered markup before hydration attaches onSubmit does
    // nothing, rather than reload the popup (https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#form-submission-algorithm).
    <form aria-labelledby="lookup-title" method="dialog" onSubmit={onSubmit} class="card">
      <h2 id="lookup-title">{t('popupLookUpTitle')}</h2>
      <label class="field">
        <span>{t('popupKeyLabel')}</span>
        <input
          type="text"
          name="key"
          value={key}
          // The popup opens to be typed into: the first field is ready without a click.
          autofocus
          autocomplete="off"
          spellcheck={false}
          onInput={(event) => edit({ key: event.currentTarget.value, metadata })}
        />
      </label>
      <p class="or">{t('popupOr')}</p>
      <MetadataFields value={metadata} onChange={(value) => edit({ key, metadata: value })} />
      <button type="submit" disabled={busy}>
        {t('popupLookUpButton')}
      </button>
      <NoticeLine notice={notice} />
      {shown && <ImageResult image={shown} />}
    </form>
  );
}

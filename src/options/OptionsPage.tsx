/** The options page: where a person connects the extension to their Glean. */
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import type { AuthType, SettingsView } from '../shared/messages.ts';
import type { ImageMetadata } from '../shared/imageMetadata.ts';
import { MetadataFields } from '../ui/MetadataFields.tsx';
import { errorText, NoticeLine, type Notice } from '../ui/Messages.tsx';
import { ServerAccess } from '../ui/ServerAccess.tsx';
import { requestServerAccess } from './serverAccess.ts';
import { CacheSection } from './CacheSection.tsx';
import { ShortcutsSection } from './ShortcutsSection.tsx';

export function OptionsPage() {
  const [saved, setSaved] = useState<SettingsView | null>(null);
  const [instance, setInstance] = useState('');
  const [token, setToken] = useState('');
  const [actAs, setActAs] = useState('');
  const [authType, setAuthType] = useState<AuthType>('');
  const [defaults, setDefaults] = useState<ImageMetadata>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  // Busy until the saved settings arrive: Save before then would store the still empty form over them.
  const [busy, setBusy] = useState(true);

  const show = (view: SettingsView) => {
    setSaved(view);
    setInstance(view.instance);
    setActAs(view.actAs);
    setAuthType(view.authType);
    setDefaults(view.defaults);
  };

  useEffect(() => {
    ask('settings/get', null)
      .then(show, (error) => setNotice({ kind: 'alert', text: errorText(error) }))
      .finally(() => setBusy(false));
  }, []);

  const run = async (work: () => Promise<Notice>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice(await work());
    } catch (error) {
      setNotice({ kind: 'alert', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  const onSave = (event: Event) => {
    event.preventDefault();
    // The permission prompt must open from the click itself, before any await
    // (https://developer.chrome.com/docs/extensions/reference/api/permissions#method-request).
    const access = requestServerAccess(saved?.managed.instance ? saved.instance : instance);
    void run(async () => {
      const granted = await access;
      if (granted === 'refused') {
        return { kind: 'alert', text: t('optionsAccessRefused') };
      }
      const view = await ask('settings/save', { instance, actAs, authType, defaults, ...(token ? { token } : {}) });
      setToken('');
      show(view);
      return { kind: 'status', text: t('optionsSaved') };
    });
  };

  const onTest = () =>
    run(async () => {
      const report = await ask('connection/test', null);
      return { kind: report.verdict === 'ok' ? 'status' : 'alert', text: report.message };
    });

  const onRemoveToken = () =>
    run(async () => {
      show(await ask('settings/removeToken', null));
      return { kind: 'status', text: t('optionsTokenRemoved') };
    });

  const managedNote = <small class="managed">{t('optionsManaged')}</small>;

  return (
    <main class="options">
      <h1>{t('extensionName')}</h1>
      <ServerAccess baseUrl={saved?.baseUrl || null} />
      {/* noValidate: the browser's own check of the email field would block Save with a tooltip instead of
          our message in role="alert"; the worker validates every field anyway. */}
      <form onSubmit={onSave} aria-label={t('optionsConnectionLabel')} noValidate>
        <label class="field">
          <span>{t('optionsInstanceLabel')}</span>
          <input
            type="text"
            name="instance"
            value={instance}
            placeholder={t('optionsInstancePlaceholder')}
            readOnly={saved?.managed.instance}
            autoComplete="url"
            spellcheck={false}
            onInput={(event) => setInstance(event.currentTarget.value)}
          />
          {saved?.managed.instance && managedNote}
        </label>
        <label class="field">
          <span>{t('optionsTokenLabel')}</span>
          <input
            type="password"
            name="token"
            value={token}
            autoComplete="off"
            aria-describedby="token-hint"
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </label>
        <p id="token-hint" class="hint">
          {saved?.tokenHint ? t('optionsTokenSaved', saved.tokenHint) : t('optionsNoToken')}
          {saved?.tokenHint && (
            <button type="button" class="link" onClick={onRemoveToken} disabled={busy}>
              {t('optionsRemoveToken')}
            </button>
          )}
        </p>
        <label class="field">
          <span>{t('optionsActAsLabel')}</span>
          <input
            type="email"
            name="actAs"
            value={actAs}
            placeholder={t('optionsActAsPlaceholder')}
            autoComplete="email"
            onInput={(event) => setActAs(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>{t('optionsAuthTypeLabel')}</span>
          <select
            name="authType"
            value={authType}
            disabled={saved?.managed.authType}
            onChange={(event) => setAuthType(event.currentTarget.value === 'OAUTH' ? 'OAUTH' : '')}
          >
            <option value="">{t('optionsAuthTypeDefault')}</option>
            <option value="OAUTH">{t('optionsAuthTypeOauth')}</option>
          </select>
          {saved?.managed.authType && managedNote}
        </label>
        <fieldset>
          <legend>{t('optionsRightClickLegend')}</legend>
          <MetadataFields value={defaults} onChange={setDefaults} />
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('optionsSaveButton')}
          </button>
          <button type="button" onClick={onTest} disabled={busy}>
            {t('optionsTestButton')}
          </button>
        </div>
        <NoticeLine notice={notice} />
      </form>
      <CacheSection />
      <ShortcutsSection />
    </main>
  );
}

/** The options page: where a person connects the extension to their Glean. */
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import type { AuthType, SettingsView } from '../shared/messages.ts';
import type { ImageMetadata } from '../shared/imageMetadata.ts';
import { MetadataFields } from '../ui/MetadataFields.tsx';
import { errorText, NoticeLine, type Notice } from '../ui/Messages.tsx';
import { ServerAccess } from '../ui/ServerAccess.tsx';
import { requestServerAccess } from '../ui/requestServerAccess.ts';
import { CacheSection } from './CacheSection.tsx';
import { SignInButton, signInStatusText, signInWith } from '../ui/SignIn.tsx';
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
      const hadCredentials = Boolean(saved?.tokenHint || saved?.signIn);
      const view = await ask('settings/save', { instance, actAs, authType, defaults, ...(token ? { token } : {}) });
      setToken('');
      show(view);
      const dropped = hadCredentials && saved?.baseUrl !== '' && view.baseUrl !== saved?.baseUrl;
      return { kind: 'status', text: t(dropped ? 'optionsSavedCredentialsDropped' : 'optionsSaved') };
    });
  };

  const onSignIn = () => {
    // From the click itself: the host permission prompt needs the user action (see signInWith).
    const signedIn = signInWith(saved?.managed.instance ? saved.instance : instance);
    void run(async () => {
      show(await signedIn);
      return { kind: 'status', text: t('optionsSignedInMessage') };
    });
  };

  const onSignOut = () =>
    run(async () => {
      show(await ask('signIn/signOut', null));
      return { kind: 'status', text: t('optionsSignedOutMessage') };
    });

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

  const serverChanges = Boolean(saved?.baseUrl && (saved.tokenHint || saved.signIn) && instance.trim() !== saved.instance);
  const signInText = saved && signInStatusText(saved);
  const signInAllowed = saved?.managed.signInMethod !== 'token';

  return (
    <main class="options">
      <h1>{t('extensionName')}</h1>
      <ServerAccess baseUrl={saved?.baseUrl || null} />
      {saved?.managed.invalid && (
        <p role="alert" class="notice error">
          {t('gleanPolicyInvalid')}
        </p>
      )}
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
            aria-describedby="instance-notes"
            onInput={(event) => setInstance(event.currentTarget.value)}
          />
        </label>
        {/* Notes go in the field's description, never its label: its accessible name stays "Glean instance". */}
        <p id="instance-notes" class="hint">
          {saved?.managed.instance && <small class="managed">{t('optionsManaged')}</small>}
          {serverChanges && <span class="warning">{t('optionsServerChangeWarning')}</span>}
        </p>
        {signInAllowed && (
          <div class="sign-in">
            {signInText && <p class="signed-in">{signInText}</p>}
            {(!saved?.signIn || saved.signIn.ended) && <SignInButton onClick={onSignIn} disabled={busy} />}
            {saved?.signIn && (
              <button type="button" onClick={onSignOut} disabled={busy}>
                {t('optionsSignOutButton')}
              </button>
            )}
          </div>
        )}
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
            aria-describedby={saved?.managed.authType ? 'auth-type-managed' : undefined}
            onChange={(event) => setAuthType(event.currentTarget.value === 'OAUTH' ? 'OAUTH' : '')}
          >
            <option value="">{t('optionsAuthTypeDefault')}</option>
            <option value="OAUTH">{t('optionsAuthTypeOauth')}</option>
          </select>
        </label>
        {saved?.managed.authType && (
          <small id="auth-type-managed" class="managed">
            {t('optionsManaged')}
          </small>
        )}
        <fieldset disabled={saved?.managed.defaults}>
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
      {saved && (
        <section class="card redirect">
          <label class="field">
            <span>{t('optionsRedirectUrlLabel')}</span>
            <input type="text" readOnly value={saved.redirectUrl} aria-describedby="redirect-hint" spellcheck={false} />
          </label>
          <p id="redirect-hint" class="hint">
            {t('optionsRedirectUrlHint')}
          </p>
        </section>
      )}
      <CacheSection managed={saved?.managed.cacheSize ?? false} />
      <ShortcutsSection />
    </main>
  );
}

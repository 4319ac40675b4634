/** The options page: where a person connects the extension to their Glean. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from '../shared/browser.ts';
import type { Storage } from 'webextension-polyfill';
import { ask } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import { POLICY_KEPT_KEY, type SettingsInput, type SettingsView } from '../shared/messages.ts';
import type { ImageMetadata } from '../shared/imageMetadata.ts';
import { MetadataFields } from '../ui/MetadataFields.tsx';
import { errorText, NoticeLine, type Notice } from '../ui/Messages.tsx';
import { GrantAccessBanner } from '../ui/GrantAccessBanner.tsx';
import { useBusy } from '../ui/useBusy.ts';
import { requestServerAccess } from '../ui/requestServerAccess.ts';
import { CacheSection } from './CacheSection.tsx';
import { SignInButton, signInStatusText, signInWith } from '../ui/SignIn.tsx';
import { ShortcutsSection } from './ShortcutsSection.tsx';

/** What the person can type here that saved settings also hold; `defaults.id` and the like, one per field. */
type Field = 'instance' | 'actAs' | 'authType' | `defaults.${keyof ImageMetadata}`;

/** The fields as shown: what Save sends, but for the token. */
type Form = Omit<SettingsInput, 'token'>;

const DEFAULTS_KEYS = ['type', 'id', 'ds', 'cid'] as const;

/** Fields an administrator set: their value is the policy's, whatever was typed (Save ignores typing there). */
function setByPolicy(view: SettingsView, field: Field): boolean {
  if (field === 'instance') return view.managed.instance;
  if (field === 'authType') return view.managed.authType;
  return field.startsWith('defaults.') && view.managed.defaults;
}

/** `view`'s settings, but for the fields in `typed`, which keep what `form` holds (unless set by policy). */
function merged(view: SettingsView, form: Form, typed: ReadonlySet<Field>): Form {
  const keep = (field: Field) => typed.has(field) && !setByPolicy(view, field);
  const defaults: ImageMetadata = {};
  for (const key of DEFAULTS_KEYS) {
    const value = keep(`defaults.${key}`) ? form.defaults[key] : view.defaults[key];
    if (value !== undefined) Object.assign(defaults, { [key]: value });
  }
  return {
    instance: keep('instance') ? form.instance : view.instance,
    actAs: keep('actAs') ? form.actAs : view.actAs,
    authType: keep('authType') ? form.authType : view.authType,
    defaults,
  };
}

export function OptionsPage() {
  const [saved, setSaved] = useState<SettingsView | null>(null);
  const [form, setForm] = useState<Form>({ instance: '', actAs: '', authType: '', defaults: {} });
  const [token, setToken] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  // Usable at once: settings that arrive later never replace what was typed meanwhile (`typed`), and
  // a Save pressed before they arrive waits for them to fill in only the fields nobody typed in.
  const [busy, whileBusy] = useBusy();
  const [loading, setLoading] = useState(true);
  const typed = useRef(new Set<Field>());
  const firstView = useRef<Promise<SettingsView | null>>(Promise.resolve(null));

  /** Shows saved settings in every field the person has not typed in. */
  const show = (view: SettingsView) => {
    setSaved(view);
    setForm((current) => merged(view, current, typed.current));
  };

  const refresh = () => {
    const loading = ask('settings/get', null).then(
      (view) => {
        show(view);
        return view;
      },
      (error: unknown) => {
        setNotice({ kind: 'alert', text: errorText(error) });
        return null;
      },
    );
    return loading;
  };

  useEffect(() => {
    firstView.current = refresh().finally(() => setLoading(false));
    // A policy that arrives or changes while the page is open shows at once: the browser announces
    // it ('managed'), and the worker keeps each reading it makes (src/worker/policySource.ts).
    const onChanged = (changes: Record<string, Storage.StorageChange>, area: string) => {
      if (area === 'managed' || (area === 'local' && POLICY_KEPT_KEY in changes)) void refresh();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);

  /** Takes what the person typed in `field`, and remembers it was typed in. */
  const edit = <F extends 'instance' | 'actAs' | 'authType'>(field: F, value: Form[F]) => {
    typed.current.add(field);
    setForm((current) => ({ ...current, [field]: value }));
  };

  const onDefaults = (defaults: ImageMetadata) => {
    for (const key of DEFAULTS_KEYS) if (defaults[key] !== form.defaults[key]) typed.current.add(`defaults.${key}`);
    setForm((current) => ({ ...current, defaults }));
  };

  const run = (work: () => Promise<Notice>) => {
    setNotice(null);
    return whileBusy(work()).then(setNotice, (error: unknown) => setNotice({ kind: 'alert', text: errorText(error) }));
  };

  const onSave = (event: Event) => {
    event.preventDefault();
    // The permission prompt must open from the click itself, before any await
    // (https://developer.chrome.com/docs/extensions/reference/api/permissions#method-request).
    const access = requestServerAccess(saved?.managed.instance ? saved.instance : form.instance);
    const typedNow = new Set(typed.current);
    void run(async () => {
      await access;
      // Pressed before the saved settings arrived: they fill in only the fields nobody typed in.
      const before = saved ?? (await firstView.current);
      const input = before ? merged(before, form, typedNow) : form;
      const hadCredentials = Boolean(before?.tokenHint || before?.signIn);
      const view = await ask('settings/save', { ...input, ...(token ? { token } : {}) });
      setToken('');
      // Saved: every field now shows what was saved.
      typed.current.clear();
      show(view);
      const dropped = hadCredentials && before?.baseUrl !== '' && view.baseUrl !== before?.baseUrl;
      return { kind: 'status', text: t(dropped ? 'optionsSavedCredentialsDropped' : 'optionsSaved') };
    });
  };

  const onSignIn = () => {
    // From the click itself: the host permission prompt needs the user action (see signInWith).
    const signedIn = signInWith(saved?.managed.instance ? saved.instance : form.instance);
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

  const serverChanges = Boolean(saved?.baseUrl && (saved.tokenHint || saved.signIn) && form.instance.trim() !== saved.instance);
  const signInText = saved && signInStatusText(saved);
  const signInAllowed = saved?.managed.signInMethod !== 'token';

  return (
    <main class="options">
      <h1>{t('extensionName')}</h1>
      <GrantAccessBanner baseUrl={saved?.baseUrl || null} />
      {saved?.managed.invalid && (
        <p role="alert" class="notice error">
          {t('gleanPolicyInvalid')}
        </p>
      )}
      {/* noValidate: the browser's own check of the email field would block Save with a tooltip instead of
          our message in role="alert"; the worker validates every field anyway. */}
      <form onSubmit={onSave} aria-label={t('optionsConnectionLabel')} aria-busy={loading} noValidate>
        <label class="field">
          <span>{t('optionsInstanceLabel')}</span>
          <input
            type="text"
            name="instance"
            value={form.instance}
            placeholder={t('optionsInstancePlaceholder')}
            readOnly={saved?.managed.instance}
            autoComplete="url"
            spellcheck={false}
            aria-describedby="instance-notes"
            onInput={(event) => edit('instance', event.currentTarget.value)}
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
            value={form.actAs}
            placeholder={t('optionsActAsPlaceholder')}
            autoComplete="email"
            onInput={(event) => edit('actAs', event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>{t('optionsAuthTypeLabel')}</span>
          <select
            name="authType"
            value={form.authType}
            disabled={saved?.managed.authType}
            aria-describedby={saved?.managed.authType ? 'auth-type-managed' : undefined}
            onChange={(event) => edit('authType', event.currentTarget.value === 'OAUTH' ? 'OAUTH' : '')}
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
          <MetadataFields value={form.defaults} onChange={onDefaults} />
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

import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import type { SettingsView } from '../shared/messages.ts';
import { errorText } from '../ui/Messages.tsx';
import { GrantAccessBanner } from '../ui/GrantAccessBanner.tsx';
import { useBusy } from '../ui/useBusy.ts';
import { SignInButton, signInWith } from '../ui/SignIn.tsx';
import { LookUpForm } from './LookUpForm.tsx';
import { RecentUploads } from './RecentUploads.tsx';
import { UploadForm } from './UploadForm.tsx';

/** Offered when there is no credential to use: the same "Sign in with Glean" as Options. */
function SignInOffer({ view, signedIn }: { view: SettingsView; signedIn: (view: SettingsView) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, whileBusy] = useBusy();
  if (view.managed.signInMethod === 'token') return null;
  const onClick = () => {
    setProblem(null);
    whileBusy(signInWith(view.instance)).then(signedIn, (error: unknown) => setProblem(errorText(error)));
  };
  return (
    <section class="card sign-in">
      <p>{t(view.signIn?.ended ? 'popupSignInEnded' : 'popupSignInPrompt')}</p>
      <SignInButton onClick={onClick} disabled={busy} />
      {problem && <p role="alert" class="notice error">{problem}</p>}
    </section>
  );
}

export function Popup() {
  const [view, setView] = useState<SettingsView | null>(null);
  useEffect(() => {
    // The page's own requests say what is wrong when this fails.
    ask('settings/get', null).then(setView, () => undefined);
  }, []);
  const baseUrl = view?.baseUrl || null;
  return (
    <main class="popup">
      <header class="bar">
        <h1>
          <img src="icons/icon-32.png" alt="" width="20" height="20" /> {t('extensionName')}
        </h1>
        <a href="options.html" target="_blank" rel="noreferrer">
          {t('popupOptionsLink')}
        </a>
      </header>
      <GrantAccessBanner baseUrl={baseUrl} />
      {view && !view.ready && <SignInOffer view={view} signedIn={setView} />}
      <LookUpForm />
      <div class="column">
        <UploadForm />
        <RecentUploads identity={view?.identity ?? null} />
      </div>
    </main>
  );
}

/**
 * "Sign in with Glean", on the Options page and in the popup. The worker runs the whole sign-in
 * (src/worker/signIn/): a flow a page ran would die with the page, and the popup closes as soon as the
 * sign-in window takes the focus.
 */
import { t } from '../shared/i18n.ts';
import { ask } from '../shared/ask.ts';
import type { SettingsView } from '../shared/messages.ts';
import { requestServerAccess } from './requestServerAccess.ts';

/** Asks for the server's host permission from the click itself (it needs the user action), then signs in. */
export function signInWith(instance: string): Promise<SettingsView> {
  return requestServerAccess(instance).then(() => ask('signIn/start', { instance }));
}

export function SignInButton({ onClick, disabled }: { onClick: () => void; disabled?: boolean }) {
  return (
    <button type="button" class="primary" onClick={onClick} disabled={disabled}>
      {t('optionsSignInButton')}
    </button>
  );
}

/** "Signed in to …", or that the sign-in ended; nothing without a sign-in. */
export function signInStatusText(view: SettingsView): string | null {
  if (!view.signIn) return null;
  const { host, method, ended } = view.signIn;
  if (ended) return t('optionsSignInEnded', host);
  return t(method === 'idp' ? 'optionsSignedInIdp' : 'optionsSignedIn', host);
}

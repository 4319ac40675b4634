/**
 * "Grant access": shown on the popup and the Options page while the browser withholds access to the
 * Glean server (why that happens, in each browser: src/worker/requireServerAccess.ts). Lookups and uploads
 * without it fail with a message that points here, so nothing fails silently.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from '../shared/browser.ts';
import { instanceHostPattern } from '../glean/instance.ts';
import { t } from '../shared/i18n.ts';
import { errorText } from './Messages.tsx';

export function GrantAccessBanner({ baseUrl }: { baseUrl: string | null }) {
  // Only a "no" shows the banner: while the browser has not answered, or could not, nothing is claimed.
  const [missing, setMissing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    setMissing(false);
    if (!baseUrl) return;
    const permissions = { origins: [instanceHostPattern(baseUrl)] };
    let current = true;
    const check = (): void => {
      browser.permissions.contains(permissions).then(
        (granted) => current && setMissing(!granted),
        () => current && setMissing(false),
      );
    };
    check();
    // Access also comes and goes elsewhere: the browser's extension settings, the other page, the prompt
    // answered after Firefox closed the popup that asked.
    browser.permissions.onAdded.addListener(check);
    browser.permissions.onRemoved.addListener(check);
    return () => {
      current = false;
      browser.permissions.onAdded.removeListener(check);
      browser.permissions.onRemoved.removeListener(check);
    };
  }, [baseUrl]);

  if (!missing || !baseUrl) return null;

  const onGrant = (): void => {
    setProblem(null);
    // Called in the click itself, before any await: `permissions.request` needs the user action
    // (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/User_actions,
    // https://developer.chrome.com/docs/extensions/reference/api/permissions#method-request).
    browser.permissions.request({ origins: [instanceHostPattern(baseUrl)] }).then(
      (granted) => (granted ? setMissing(false) : setProblem(t('accessRefused'))),
      (error: unknown) => setProblem(errorText(error)),
    );
  };

  return (
    <div class="access">
      <p role="alert" class="notice error">
        {problem ?? t('accessMissing', new URL(baseUrl).host)}
      </p>
      <button type="button" onClick={onGrant}>
        {t('accessGrantButton')}
      </button>
    </div>
  );
}

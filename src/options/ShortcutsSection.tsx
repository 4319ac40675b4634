/**
 * "Keyboard shortcuts": the extension's commands and the keys set for them now (`commands.getAll`, which
 * reflects any change the person made), and the way to the browser's own page for changing them:
 * extensions cannot set shortcuts themselves. Firefox opens its page with `commands.openShortcutSettings`
 * (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/commands/openShortcutSettings);
 * Chrome's is chrome://extensions/shortcuts, which a link cannot open but `tabs.create` can
 * (https://developer.chrome.com/docs/extensions/reference/api/commands#updating_shortcuts).
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from '../shared/browser.ts';
import type { Commands } from 'webextension-polyfill';
import { t } from '../shared/i18n.ts';
import { errorText } from '../ui/Messages.tsx';

const CHROME_SHORTCUTS_PAGE = 'chrome://extensions/shortcuts';

/** What a command does, in words: the manifest gives `_execute_action` no description. */
function describe(command: Commands.Command): string {
  if (command.name === '_execute_action') return t('shortcutOpenPopup');
  return command.description || command.name || '';
}

function openShortcutPage(): Promise<unknown> {
  const commands = browser.commands as typeof browser.commands & { openShortcutSettings?: () => Promise<void> };
  if (typeof commands.openShortcutSettings === 'function') return commands.openShortcutSettings();
  return browser.tabs.create({ url: CHROME_SHORTCUTS_PAGE });
}

export function ShortcutsSection() {
  const [commands, setCommands] = useState<Commands.Command[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const read = () => void browser.commands.getAll().then(setCommands, (error: unknown) => setProblem(errorText(error)));
    read();
    // Back from the browser's shortcut page: show what was changed there.
    window.addEventListener('focus', read);
    return () => window.removeEventListener('focus', read);
  }, []);
  return (
    <section aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">{t('optionsShortcutsTitle')}</h2>
      {commands && (
        <dl class="shortcuts">
          {commands.map((command) => (
            <div key={command.name}>
              <dt>{describe(command)}</dt>
              <dd>{command.shortcut ? <kbd>{command.shortcut}</kbd> : t('optionsShortcutNotSet')}</dd>
            </div>
          ))}
        </dl>
      )}
      {problem && <p role="alert">{problem}</p>}
      <button type="button" onClick={() => void openShortcutPage().catch((error: unknown) => setProblem(errorText(error)))}>
        {t('optionsChangeShortcuts')}
      </button>
    </section>
  );
}

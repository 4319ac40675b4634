/**
 * A page's title and language, set first thing by its script: browsers replace `__MSG_name__` in
 * manifest.json (and Chrome in CSS) but never in an extension's HTML, so the HTML's own `<title>` and
 * `lang` are only what shows until this runs.
 */
import { t, type MessageName } from '../shared/i18n.ts';

export function localizePage(title: MessageName): void {
  // Screen readers choose their voice by `lang`: it follows the language the words came in.
  document.documentElement.lang = t('localeLanguage');
  document.title = t(title);
}

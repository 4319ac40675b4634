/**
 * Every word a person sees comes from `public/_locales/<lang>/messages.json`, so adding a language is
 * adding a file, and the words stay out of the JavaScript bundles.
 *
 * The import below is type-only, so esbuild drops it: the names are checked at compile time and the
 * English text never ships inside the scripts (test/unit/i18n.test.ts checks dist/metafile.json).
 */
import type messages from '../../public/_locales/en/messages.json';

export type MessageName = keyof typeof messages;

interface I18n {
  getMessage(messageName: string, substitutions?: string[]): string;
}

/**
 * `i18n.getMessage` is synchronous and behaves the same in Chrome and Firefox, so the browser's own
 * global is used rather than webextension-polyfill, whose import throws outside an extension (unit
 * tests install a `chrome.i18n` backed by the English file: test/setup/locale.ts). Chrome offers it in
 * service workers from Chrome 100 (https://crbug.com/1268098); we require 120. Looked up on each call,
 * not once, because a test may install its `chrome` after this module loads.
 */
function i18n(): I18n | undefined {
  const scope = globalThis as { browser?: { i18n?: I18n }; chrome?: { i18n?: I18n } };
  return scope.browser?.i18n ?? scope.chrome?.i18n;
}

/**
 * The message `name` in the browser's language, `$1`…`$9` filled from `substitutions`. An empty
 * answer for a known name means the message is missing from that language's file (and from the
 * default one): the name is shown instead, so the gap is seen and reported rather than a blank.
 */
export function t(name: MessageName, ...substitutions: Array<string | number>): string {
  // Chrome refuses anything but strings as substitutions.
  return i18n()?.getMessage(name, substitutions.map(String)) || name;
}

/**
 * Node has no `chrome.i18n`: this installs one backed by the real English messages, so unit and
 * end-to-end tests see the same text people do (`node --import ./test/setup/locale.ts`, as in the
 * `test` script). Substitution follows Chrome's rules exactly (extensions/common/message_bundle.cc and
 * base::ReplaceStringPlaceholders): a named `$PLACEHOLDER$` (any case) becomes its placeholder's
 * `content`, a name without a placeholder is an error (Chrome refuses to load such a bundle), then
 * `$1`…`$9` become the substitutions (a missing one becomes ''), `$$` becomes `$`, and a `$` before
 * anything else is dropped with that character. Substituted text is never scanned again.
 */
import { readFileSync } from 'node:fs';

interface LocaleEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}

const file = new URL('../../public/_locales/en/messages.json', import.meta.url);
const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, LocaleEntry>;

/** Message and placeholder names are case-insensitive in Chrome. */
const byName = new Map(Object.entries(entries).map(([name, entry]) => [name.toLowerCase(), entry]));

/** Chrome's MessageBundle::ReplaceVariables, for `$name$` placeholders (names: letters, digits, _ and @). */
function replacePlaceholders(name: string, entry: LocaleEntry): string {
  const placeholders = new Map(Object.entries(entry.placeholders ?? {}).map(([key, value]) => [key.toLowerCase(), value.content]));
  return entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (_, placeholder: string) => {
    const content = placeholders.get(placeholder.toLowerCase());
    if (content === undefined) throw new Error(`messages.json: ${name}: variable $${placeholder}$ used but not defined.`);
    return content;
  });
}

/** base::ReplaceStringPlaceholders: `$1`…`$9`, `$$`, and nothing else. */
function replaceNumbered(format: string, substitutions: readonly string[]): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const char = format[i];
    if (char !== '$') {
      out += char;
      continue;
    }
    if (i + 1 >= format.length) break;
    i++;
    if (format[i] === '$') {
      while (i < format.length && format[i] === '$') {
        out += '$';
        i++;
      }
      i--;
      continue;
    }
    const digit = format.charCodeAt(i) - 48;
    if (digit >= 1 && digit <= 9) out += substitutions[digit - 1] ?? '';
  }
  return out;
}

function getMessage(messageName: string, substitutions?: string | string[]): string {
  const list = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  if (list.length > 9) throw new Error('chrome.i18n.getMessage: at most 9 substitutions.');
  const entry = byName.get(messageName.toLowerCase());
  if (!entry) return '';
  return replaceNumbered(replacePlaceholders(messageName, entry), list.map(String));
}

const scope = globalThis as { chrome?: { i18n?: { getMessage: typeof getMessage } } };
scope.chrome = { ...scope.chrome, i18n: { getMessage } };

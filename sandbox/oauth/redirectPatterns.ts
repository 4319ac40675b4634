/**
 * Redirect-URI patterns as a Glean administrator writes them for "approved applications" and static
 * clients: the URI must match whole, and `*` stands for any run of characters within one host label
 * (no `.`) or within one path segment (no `/`), e.g. `https://*.chromiumapp.org/*`.
 */

/**
 * Where each browser's `identity.launchWebAuthFlow` sends the person back (`identity.getRedirectURL()`:
 * `https://<extension id>.chromiumapp.org/`, `https://<hash>.extensions.allizom.org/`), as an
 * administrator allows it for the extension.
 */
export const EXTENSION_REDIRECT_PATTERNS = {
  Chromium: 'https://*.chromiumapp.org/*',
  Firefox: 'https://*.extensions.allizom.org/*',
} as const;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function patternRegExp(pattern: string): RegExp {
  const schemeEnd = pattern.indexOf('://');
  const authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
  const pathStart = pattern.indexOf('/', authorityStart);
  const authorityEnd = pathStart < 0 ? pattern.length : pathStart;
  const part = (text: string, wildcard: string): string => text.split('*').map(escape).join(wildcard);
  return new RegExp(
    `^${part(pattern.slice(0, authorityStart), '')}` +
      part(pattern.slice(authorityStart, authorityEnd), '[^./:@?#]*') +
      `${part(pattern.slice(authorityEnd), '[^/?#]*')}$`,
  );
}

export function redirectUriMatches(pattern: string, uri: string): boolean {
  return patternRegExp(pattern).test(uri);
}

/** Why a redirect URI cannot be used at all, whatever the patterns say (undefined: it can). */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `"${uri}" is not an absolute URL`;
  }
  if (url.hash !== '') return `"${uri}" has a fragment, which a redirect URI must not have (RFC 6749 section 3.1.2)`;
  return undefined;
}

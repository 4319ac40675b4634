/**
 * What a person types as "Glean instance" and "act as", checked before any token is sent anywhere:
 * the token goes to whatever server this accepts.
 */
import { IS_DEV_BUILD } from '../shared/buildFlavour.ts';

export type InstanceProblem =
  | 'empty'
  | 'has-path'
  | 'has-credentials'
  | 'bad-scheme'
  /** http:// to another host than this computer (dev builds). */
  | 'insecure-http'
  /** Any http:// at all (store builds). */
  | 'https-only'
  | 'invalid';

export interface ParseInstanceOptions {
  /** Whether http://127.0.0.1 and http://localhost are accepted: only in dev builds, which carry the
   * loopback host permissions for a local Glean or the sandbox. The build's value by default. */
  allowLoopbackHttp?: boolean;
}

export type ParsedInstance = { ok: true; baseUrl: string } | { ok: false; problem: InstanceProblem };

/** An instance name as an admin finds it under "Server instance (QE)": one DNS label. */
const INSTANCE_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
/** Anything that starts like `scheme:`. */
const SCHEME_PREFIX = /^[a-z][a-z0-9+.-]*:/i;
/** `host:port...`, which also starts like a scheme but means "add https://". */
const HOST_AND_PORT = /^[^:/?#@]+:\d+(?:[/?#]|$)/;
/** `user:pass@host`, likewise: refused as credentials rather than as a scheme named `user`. */
const CREDENTIALS_FIRST = /^[^/?#]*@/;
/** Plain http is only for a Glean running on this machine (development, the sandbox server), and
 * only in dev builds: a store build talks to no server without TLS, whatever its name. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost']);

/** `acme-prod` → https://acme-prod-be.glean.com (the `servers` of sandbox/glean-images-openapi.yaml); a URL is taken as typed,
 * with https:// added when the scheme is missing and trailing slashes stripped, as the SDKs do. */
export function parseInstance(input: string, { allowLoopbackHttp = IS_DEV_BUILD }: ParseInstanceOptions = {}): ParsedInstance {
  const text = input.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  // The URL parser silently drops tabs and newlines inside; a pasted value with them is not what
  // the person thinks it is.
  if (/[\s\p{Cc}]/u.test(text)) return { ok: false, problem: 'invalid' };
  if (INSTANCE_NAME.test(text)) return { ok: true, baseUrl: `https://${text.toLowerCase()}-be.glean.com` };

  const hasScheme = SCHEME_PREFIX.test(text) && !HOST_AND_PORT.test(text) && !CREDENTIALS_FIRST.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    return { ok: false, problem: 'invalid' };
  }

  if (url.protocol === 'http:') {
    if (!allowLoopbackHttp) return { ok: false, problem: 'https-only' };
    if (!LOOPBACK_HOSTS.has(url.hostname)) return { ok: false, problem: 'insecure-http' };
  } else if (url.protocol !== 'https:') {
    return { ok: false, problem: 'bad-scheme' };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'has-credentials' };
  // Checked on the text: the parser reports a bare "?" or "#" as an empty search or hash.
  if (/[?#]/.test(text) || url.pathname.replace(/\/+$/, '') !== '') return { ok: false, problem: 'has-path' };
  if (!isPlausibleHost(url.hostname)) return { ok: false, problem: 'invalid' };
  return { ok: true, baseUrl: url.origin };
}

/** A dotted name or address, an IPv6 literal, or localhost: a single label such as the `javascript`
 * of "javascript:1" is no server anyone means. */
function isPlausibleHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.startsWith('[')) return true;
  const labels = hostname.split('.');
  return labels.length >= 2 && labels.every((label) => label !== '');
}

const MAX_EMAIL_LENGTH = 254; // RFC 5321 §4.5.3.1.3 path limit, less the angle brackets.
const MAX_LOCAL_PART_LENGTH = 64; // RFC 5321 §4.5.3.1.1

/** "Act as" is optional (only global tokens need it); when given it goes into the X-Glean-ActAs
 * header, so it must at least look like an email and hold nothing a header cannot. */
export function parseActAs(input: string): { ok: true; actAs?: string } | { ok: false } {
  const text = input.trim();
  if (text === '') return { ok: true };
  if (text.length > MAX_EMAIL_LENGTH || /[\s\p{Cc}]/u.test(text)) return { ok: false };
  const parts = text.split('@');
  if (parts.length !== 2) return { ok: false };
  const [local = '', domain = ''] = parts;
  if (local === '' || local.length > MAX_LOCAL_PART_LENGTH) return { ok: false };
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((label) => label === '')) return { ok: false };
  return { ok: true, actAs: text };
}

/** The host permission that lets the worker reach the server (src/worker/requireServerAccess.ts). Match patterns have no port
 * (Chrome and Firefox match every port), so http://127.0.0.1:8080 needs http://127.0.0.1/*.
 * `baseUrl` is one parseInstance accepted. */
export function instanceHostPattern(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

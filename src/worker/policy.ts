/**
 * What an administrator set by enterprise policy (`storage.managed`, described by
 * public/managed_schema.json), checked as a whole. One value that does not hold makes the whole
 * policy invalid, and an invalid policy fails closed: nothing is sent to any server until it is
 * fixed, since using the rest (or the person's own settings) could send credentials where the
 * administrator did not mean them to go.
 */
import { parseInstance } from '../glean/instance.ts';
import { checkMetadata } from '../shared/metadataCheck.ts';
import type { ImageMetadata } from '../shared/imageMetadata.ts';
import type { AuthType, SignInChoice } from '../shared/messages.ts';
import { budgetBytes } from '../shared/cacheLimits.ts';

export interface Policy {
  /** As the administrator wrote it, and the server it names. */
  server?: { instance: string; baseUrl: string };
  authType?: AuthType;
  /** Which ways in people may use; unset: any. */
  signInMethod?: SignInChoice;
  oauthClientId?: string;
  oauthScopes?: string[];
  idpIssuer?: string;
  idpClientId?: string;
  /** Right-click defaults; set as a whole when any of the four keys is. */
  defaults?: ImageMetadata;
  cacheMegabytes?: number;
}

export type PolicyReading = { ok: true; policy: Policy } | { ok: false; problems: string[] };

/** The keys public/managed_schema.json declares; anything else is ignored, as the browsers ignore it. */
export const POLICY_KEYS = [
  'server',
  'authType',
  'signInMethod',
  'oauthClientId',
  'oauthScopes',
  'idpIssuer',
  'idpClientId',
  'defaultType',
  'defaultId',
  'defaultDatasource',
  'defaultContentId',
  'cacheMegabytes',
] as const;

/** RFC 6749 §3.3 scope-token characters. */
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export function readPolicy(raw: Record<string, unknown>): PolicyReading {
  const problems: string[] = [];
  const policy: Policy = {};
  const text = (key: (typeof POLICY_KEYS)[number]): string | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(key);
      return undefined;
    }
    return value.trim();
  };

  const server = text('server');
  if (server !== undefined) {
    const parsed = parseInstance(server);
    if (parsed.ok) policy.server = { instance: server, baseUrl: parsed.baseUrl };
    else problems.push('server');
  }
  if (raw.authType !== undefined) {
    if (raw.authType === '' || raw.authType === 'OAUTH') policy.authType = raw.authType;
    else problems.push('authType');
  }
  const method = text('signInMethod');
  if (method !== undefined) {
    if (method === 'glean' || method === 'idp' || method === 'token') policy.signInMethod = method;
    else problems.push('signInMethod');
  }
  const clientId = text('oauthClientId');
  if (clientId !== undefined) policy.oauthClientId = clientId;
  if (raw.oauthScopes !== undefined) {
    const scopes = raw.oauthScopes;
    if (Array.isArray(scopes) && scopes.every((scope): scope is string => typeof scope === 'string' && SCOPE.test(scope))) policy.oauthScopes = scopes;
    else problems.push('oauthScopes');
  }
  const issuer = text('idpIssuer');
  if (issuer !== undefined) {
    if (isIssuerUrl(issuer)) policy.idpIssuer = issuer;
    else problems.push('idpIssuer');
  }
  const idpClientId = text('idpClientId');
  if (idpClientId !== undefined) policy.idpClientId = idpClientId;
  if (policy.signInMethod === 'idp' && (policy.idpIssuer === undefined || policy.idpClientId === undefined)) problems.push('idpIssuer', 'idpClientId');

  const defaults = { type: raw.defaultType, id: raw.defaultId, ds: raw.defaultDatasource, cid: raw.defaultContentId };
  if (Object.values(defaults).some((value) => value !== undefined)) {
    const fields = Object.values(defaults).every((value) => value === undefined || typeof value === 'string');
    const checked = fields ? checkMetadata(defaults as ImageMetadata, { typeRequired: false }) : undefined;
    if (checked?.ok) policy.defaults = checked.metadata;
    else problems.push('defaultType/defaultId/defaultDatasource/defaultContentId');
  }
  if (raw.cacheMegabytes !== undefined) {
    const size = raw.cacheMegabytes;
    if (typeof size === 'number' && budgetBytes(size) !== null) policy.cacheMegabytes = size;
    else problems.push('cacheMegabytes');
  }
  return problems.length === 0 ? { ok: true, policy } : { ok: false, problems };
}

/** An issuer may have a path (Okta's https://acme.okta.com/oauth2/default); its origin follows the instance's rules. */
function isIssuerUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return parseInstance(url.origin).ok && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

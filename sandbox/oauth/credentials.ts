/**
 * Which credential an images request carries, and whether Glean would take it: the sandbox's API
 * token, an access token of its own authorization server, or one of a trusted identity provider,
 * which Glean accepts only with `X-Glean-Auth-Type: OAUTH`; or a global (Super Admin) token, which
 * Glean takes only with `X-Glean-ActAs` naming whom it acts for (a missing one is a 400, not a 401).
 */
import type { Reply } from '../reply.ts';
import { textReply } from '../reply.ts';
import type { AccessTokenStatus } from './tokens.ts';

/** 'unknown': a bearer token that none of them issued; 'none': no bearer token at all. */
export type Credential = 'api-token' | 'global-token' | 'glean-oauth' | 'idp-oauth' | 'unknown' | 'none';

export interface CredentialVerdict {
  credential: Credential;
  accepted: boolean;
  /** Why it was refused, for the 401's error_description. */
  problem?: string;
}

/** Anything that can say whether it issued an access token and whether it still holds. */
export interface TokenIssuer {
  accessTokenStatus(token: string): AccessTokenStatus;
}

export interface CredentialRules {
  apiToken: string;
  globalToken: string;
  glean: TokenIssuer;
  identityProviders: () => readonly TokenIssuer[];
}

function bearerToken(authorization: string | undefined): string | undefined {
  return /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

function fromStatus(credential: Credential, status: AccessTokenStatus & { known: true }): CredentialVerdict {
  return status.valid ? { credential, accepted: true } : { credential, accepted: false, problem: `the access token is ${status.reason}` };
}

export function judgeCredential(headers: Record<string, string>, rules: CredentialRules): CredentialVerdict {
  const token = bearerToken(headers.authorization);
  if (token === undefined) return { credential: 'none', accepted: false, problem: 'no bearer token' };
  if (token === rules.apiToken) return { credential: 'api-token', accepted: true };
  if (token === rules.globalToken) return { credential: 'global-token', accepted: true };
  const own = rules.glean.accessTokenStatus(token);
  if (own.known) return fromStatus('glean-oauth', own);
  for (const identityProvider of rules.identityProviders()) {
    const status = identityProvider.accessTokenStatus(token);
    if (!status.known) continue;
    if (headers['x-glean-auth-type']?.toUpperCase() !== 'OAUTH') {
      return { credential: 'idp-oauth', accepted: false, problem: "an identity provider's token needs the header X-Glean-Auth-Type: OAUTH" };
    }
    return fromStatus('idp-oauth', status);
  }
  return { credential: 'unknown', accepted: false, problem: 'the token is not one this server issued or trusts' };
}

/** RFC 6750 section 3: no error code when no credential came, invalid_token when a bad one did. */
export function unauthorizedReply(verdict: CredentialVerdict): Reply {
  const reply = textReply(401, `unauthorized: ${verdict.problem ?? 'not accepted'}`);
  reply.headers['www-authenticate'] =
    verdict.credential === 'none'
      ? 'Bearer realm="glean-sandbox"'
      : `Bearer realm="glean-sandbox", error="invalid_token", error_description="${verdict.problem ?? 'not accepted'}"`;
  reply.note = verdict.problem;
  return reply;
}

/** The act-as header, under its current name or the deprecated one Glean still accepts. */
export function actsAs(headers: Record<string, string>): boolean {
  return Boolean(headers['x-glean-actas']?.trim() || headers['x-scio-actas']?.trim());
}

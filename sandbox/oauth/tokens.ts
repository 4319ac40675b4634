/**
 * Authorization codes, access tokens and rotating refresh tokens, all opaque random strings kept in
 * memory. One sign-in (one code exchanged) is a grant; every token descends from one grant.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Glean's documented defaults: access tokens live 7 days, refresh tokens 180 days. */
const DEFAULT_ACCESS_TOKEN_SECONDS = 7 * 24 * 3600;
const REFRESH_TOKEN_SECONDS = 180 * 24 * 3600;
/** RFC 6749 section 4.1.2 recommends at most 10 minutes; one is plenty for a redirect. */
const CODE_SECONDS = 60;

export interface CodeRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: readonly string[];
}

interface Code extends CodeRequest {
  expiresAt: number;
  /** Set once exchanged: a second exchange revokes this grant (RFC 6749 section 4.1.2). */
  grantId?: string;
}

interface Grant {
  clientId: string;
  scope: readonly string[];
  revoked: boolean;
}

interface AccessToken {
  grantId: string;
  scope: readonly string[];
  expiresAt: number;
  revoked: boolean;
}

interface RefreshToken {
  grantId: string;
  scope: readonly string[];
  expiresAt: number;
  /** 'rotated': used once already; using it again is taken as theft and ends the whole grant. */
  state: 'active' | 'rotated' | 'revoked';
}

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  scope: readonly string[];
}

export interface IssuedTokenValues {
  accessTokens: readonly string[];
  refreshTokens: readonly string[];
}

/** Why a token request fails, as RFC 6749 section 5.2 names it. */
export class GrantError extends Error {
  readonly code: 'invalid_grant' | 'invalid_request' | 'invalid_scope';
  constructor(code: GrantError['code'], description: string) {
    super(description);
    this.code = code;
  }
}

export type AccessTokenStatus =
  | { known: false }
  | { known: true; valid: true; clientId: string; scope: readonly string[] }
  | { known: true; valid: false; reason: 'expired' | 'revoked' };

/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class TokenStore {
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #codes = new Map<string, Code>();
  readonly #grants = new Map<string, Grant>();
  readonly #accessTokens = new Map<string, AccessToken>();
  readonly #refreshTokens = new Map<string, RefreshToken>();
  #accessTokenSeconds = DEFAULT_ACCESS_TOKEN_SECONDS;

  constructor(prefix: string, now: () => number = Date.now) {
    this.#prefix = prefix;
    this.#now = now;
  }

  get counts(): { accessTokens: number; refreshTokens: number; codes: number } {
    return { accessTokens: this.#accessTokens.size, refreshTokens: this.#refreshTokens.size, codes: this.#codes.size };
  }

  /** Every access and refresh token issued so far, oldest first, whatever became of it (for tests that look for them elsewhere). */
  get issued(): IssuedTokenValues {
    return { accessTokens: [...this.#accessTokens.keys()], refreshTokens: [...this.#refreshTokens.keys()] };
  }

  setAccessTokenLifetime(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError(`an access token lifetime must be a whole number of seconds ≥ 1, got ${seconds}`);
    this.#accessTokenSeconds = seconds;
  }

  issueCode(request: CodeRequest): string {
    const code = this.#random('code');
    this.#codes.set(code, { ...request, expiresAt: this.#now() + CODE_SECONDS * 1000 });
    return code;
  }

  /** The authorization_code grant: the code once, for the client and redirect URI it was issued to, with its PKCE verifier. */
  exchangeCode(code: string, clientId: string, redirectUri: string, verifier: string): IssuedTokens {
    const issued = this.#codes.get(code);
    if (!issued || issued.clientId !== clientId) throw new GrantError('invalid_grant', 'the authorization code is unknown or was issued to another client');
    if (issued.grantId !== undefined) {
      this.#revokeGrant(issued.grantId);
      throw new GrantError('invalid_grant', 'the authorization code was already used; the tokens issued for it are revoked');
    }
    if (issued.expiresAt <= this.#now()) throw new GrantError('invalid_grant', 'the authorization code has expired');
    if (issued.redirectUri !== redirectUri) throw new GrantError('invalid_grant', 'redirect_uri differs from the one in the authorization request');
    if (!CODE_VERIFIER.test(verifier) || s256(verifier) !== issued.codeChallenge) {
      throw new GrantError('invalid_grant', 'code_verifier does not match the code_challenge (PKCE S256)');
    }
    const grantId = this.#random('grant');
    issued.grantId = grantId;
    this.#grants.set(grantId, { clientId, scope: issued.scope, revoked: false });
    return this.#issue(grantId, issued.scope);
  }

  /** The refresh_token grant, rotating: the old refresh token is spent, a new one comes with the answer. */
  refresh(token: string, clientId: string, requestedScope: readonly string[] | undefined): IssuedTokens {
    const refresh = this.#refreshTokens.get(token);
    const grant = refresh && this.#grants.get(refresh.grantId);
    if (!refresh || !grant || grant.clientId !== clientId) throw new GrantError('invalid_grant', 'the refresh token is unknown or was issued to another client');
    if (refresh.state === 'rotated') {
      // OAuth 2.1 section 4.3.1: a rotated token used again means two parties hold it; end the grant.
      this.#revokeGrant(refresh.grantId);
      throw new GrantError('invalid_grant', 'the refresh token was already used (it rotates on every use); sign in again');
    }
    if (refresh.state === 'revoked' || grant.revoked) throw new GrantError('invalid_grant', 'the refresh token was revoked; sign in again');
    if (refresh.expiresAt <= this.#now()) throw new GrantError('invalid_grant', 'the refresh token has expired; sign in again');
    const scope = requestedScope ?? refresh.scope;
    const extra = scope.filter((name) => !refresh.scope.includes(name));
    if (extra.length > 0) throw new GrantError('invalid_scope', `scope ${extra.join(' ')} was not granted to this refresh token`);
    refresh.state = 'rotated';
    return this.#issue(refresh.grantId, scope);
  }

  accessTokenStatus(token: string, isClientKnown: (clientId: string) => boolean): AccessTokenStatus {
    const access = this.#accessTokens.get(token);
    const grant = access && this.#grants.get(access.grantId);
    if (!access || !grant) return { known: false };
    if (access.revoked || grant.revoked || !isClientKnown(grant.clientId)) return { known: true, valid: false, reason: 'revoked' };
    if (access.expiresAt <= this.#now()) return { known: true, valid: false, reason: 'expired' };
    return { known: true, valid: true, clientId: grant.clientId, scope: access.scope };
  }

  /** RFC 7009: a refresh token takes its grant's tokens with it; an access token goes alone. Unknown tokens are ignored. */
  revoke(token: string, clientId: string | undefined): void {
    const refresh = this.#refreshTokens.get(token);
    if (refresh) {
      if (clientId === undefined || this.#grants.get(refresh.grantId)?.clientId === clientId) this.#revokeGrant(refresh.grantId);
      return;
    }
    const access = this.#accessTokens.get(token);
    if (access && (clientId === undefined || this.#grants.get(access.grantId)?.clientId === clientId)) access.revoked = true;
  }

  expireAccessTokens(): void {
    const now = this.#now();
    for (const access of this.#accessTokens.values()) access.expiresAt = Math.min(access.expiresAt, now);
  }

  revokeRefreshTokens(): void {
    for (const refresh of this.#refreshTokens.values()) refresh.state = 'revoked';
  }

  #revokeGrant(grantId: string): void {
    const grant = this.#grants.get(grantId);
    if (grant) grant.revoked = true;
  }

  #issue(grantId: string, scope: readonly string[]): IssuedTokens {
    const accessToken = this.#random('at');
    const now = this.#now();
    this.#accessTokens.set(accessToken, { grantId, scope, expiresAt: now + this.#accessTokenSeconds * 1000, revoked: false });
    if (!scope.includes('offline_access')) return { accessToken, expiresIn: this.#accessTokenSeconds, scope };
    const refreshToken = this.#random('rt');
    this.#refreshTokens.set(refreshToken, { grantId, scope, expiresAt: now + REFRESH_TOKEN_SECONDS * 1000, state: 'active' });
    return { accessToken, expiresIn: this.#accessTokenSeconds, refreshToken, scope };
  }

  #random(kind: string): string {
    return `${this.#prefix}${kind}_${randomBytes(24).toString('base64url')}`;
  }
}

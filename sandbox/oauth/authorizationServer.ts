/**
 * An OAuth 2.1 authorization server (Authorization Code + PKCE S256, public clients, rotating refresh
 * tokens), shared by the Glean sandbox (issuer `<origin>/oauth`, RFC 8414 metadata, Dynamic Client
 * Registration) and the stand-in company identity provider (issuer = its origin, OpenID discovery,
 * pre-registered clients only). It answers requests; the HTTP servers around it route and record them.
 */
import { randomBytes } from 'node:crypto';
import { jsonReply, textReply, type Reply } from '../reply.ts';
import { ClientRegistry, type OAuthClient, type RegistrationPolicy } from './clients.ts';
import type { OAuthEndpoint } from './endpoints.ts';
import { consentPage, errorPage } from './pages.ts';
import { GrantError, TokenStore, type AccessTokenStatus, type IssuedTokens, type IssuedTokenValues } from './tokens.ts';


/** Which metadata URLs answer: RFC 8414's issuer-path form, the root form, or both (the others 404). */
export type DiscoveryForm = 'both' | 'issuer-path' | 'root';

export interface AuthorizationServerConfig {
  /** The server's origin, known once it listens. */
  origin: () => string;
  /** The endpoints' path prefix, which is also the issuer's path: '/oauth' for Glean, '' for the identity provider. */
  prefix: string;
  /** 'glean': RFC 8414 metadata and registration; 'idp': OpenID discovery and pre-registered clients only. */
  flavour: 'glean' | 'idp';
  /** Shown in the sign-in page's title: "Sign in to <serverName>". */
  serverName: string;
  scopes: readonly string[];
  /** Starts every client id and token, so that a log shows whose it is. */
  idPrefix: string;
  now?: () => number;
}

export interface OAuthRequest {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** The grant_type a token request names, as sent (for the request log, even of faulted requests). */
export function grantTypeOf(body: Buffer): string | undefined {
  return new URLSearchParams(body.toString('utf8')).get('grant_type') ?? undefined;
}

/** The fields of a form-encoded body (token, revocation and decision requests), for the request log; undefined for other bodies. */
export function formOf(headers: Record<string, string>, body: Buffer): Record<string, string> | undefined {
  if (mediaType(headers) !== 'application/x-www-form-urlencoded') return undefined;
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

export interface IssuedTokenCounts {
  accessTokens: number;
  refreshTokens: number;
}

/** Parameters of an authorization request that passed every check. */
interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  state: string | undefined;
  scope: readonly string[];
  codeChallenge: string;
  prompt: string | undefined;
}

type Checked = { kind: 'ok'; request: AuthorizationRequest } | { kind: 'reply'; reply: Reply };

const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** Carried from the sign-in page to the decision in hidden fields. */
const AUTHORIZATION_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

function noStore(reply: Reply): Reply {
  reply.headers['cache-control'] = 'no-store';
  reply.headers.pragma = 'no-cache';
  return reply;
}

/** RFC 6749 section 5.2 (token endpoint) and RFC 7009 section 2.2.1 (revocation) error answers. */
function oauthError(status: number, error: string, description: string): Reply {
  return noStore(jsonReply(status, { error, error_description: description }, `${error}: ${description}`));
}

function methodNotAllowed(allowed: string): Reply {
  const reply = textReply(405, `use ${allowed}`);
  reply.headers.allow = allowed;
  return reply;
}

function redirect(location: URL, headers: Record<string, string> = {}, note?: string): Reply {
  return { status: 302, headers: { location: location.href, 'cache-control': 'no-store', ...headers }, body: Buffer.alloc(0), note };
}

function mediaType(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function cookie(headers: Record<string, string>, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function scopeList(scope: string | null): string[] {
  return (scope ?? '').split(' ').filter((name) => name !== '');
}

export class AuthorizationServer {
  readonly #config: AuthorizationServerConfig;
  readonly #clients: ClientRegistry;
  readonly #tokens: TokenStore;
  readonly #sessions = new Set<string>();
  /** Per server, since browsers share 127.0.0.1's cookies across ports. */
  readonly #sessionCookie = `sandbox_session_${randomBytes(4).toString('hex')}`;
  #registration: RegistrationPolicy = 'any';
  #discovery: DiscoveryForm = 'both';
  #silentSignIn = true;

  constructor(config: AuthorizationServerConfig) {
    this.#config = config;
    this.#clients = new ClientRegistry(`${config.idPrefix}client_`);
    this.#tokens = new TokenStore(config.idPrefix, config.now);
  }

  get issuer(): string {
    return `${this.#config.origin()}${this.#config.prefix}`;
  }

  /** Every metadata field a client needs, with absolute endpoint URLs. */
  get metadata(): Record<string, unknown> {
    const { flavour, scopes } = this.#config;
    const issuer = this.issuer;
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      ...(flavour === 'glean' ? { registration_endpoint: `${issuer}/register` } : {}),
      revocation_endpoint: `${issuer}/revoke`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      scopes_supported: [...scopes],
      // RFC 9207: every authorization response carries `iss`.
      authorization_response_iss_parameter_supported: true,
    };
  }

  get clients(): readonly OAuthClient[] {
    return this.#clients.all;
  }

  get issuedTokens(): IssuedTokenCounts {
    const { accessTokens, refreshTokens } = this.#tokens.counts;
    return { accessTokens, refreshTokens };
  }

  /**
   * The tokens themselves, for tests that check where they went (test/e2e/signInCustody.test.ts).
   * In-process only: GET /_sandbox/oauth/clients shows their counts (issuedTokens).
   */
  get issuedTokenValues(): IssuedTokenValues {
    return this.#tokens.issued;
  }

  setRegistration(policy: RegistrationPolicy): void {
    this.#registration = policy;
  }

  setDiscovery(form: DiscoveryForm): void {
    this.#discovery = form;
  }

  /** As an administrator creates a client: no registration request; returns its client_id. */
  addStaticClient({ redirectUriPatterns }: { redirectUriPatterns: readonly string[] }): string {
    return this.#clients.addStatic(redirectUriPatterns).clientId;
  }

  /** Registered clients become unknown (invalid_client), and their tokens stop working. */
  forgetClients(): void {
    this.#clients.forgetRegistered();
  }

  /** For tokens issued from now on. */
  setAccessTokenLifetime(seconds: number): void {
    this.#tokens.setAccessTokenLifetime(seconds);
  }

  /** Every access token issued so far is expired now (refresh tokens still work). */
  expireAccessTokens(): void {
    this.#tokens.expireAccessTokens();
  }

  /** Every refresh token issued so far answers invalid_grant ("signed out of Glean", "app revoked"). */
  revokeRefreshTokens(): void {
    this.#tokens.revokeRefreshTokens();
  }

  /** Forgets who approved: the next authorization request shows the sign-in page again. */
  endSessions(): void {
    this.#sessions.clear();
  }

  /** Off: the sign-in page is shown even to a browser that has approved before (prompt=none then gets login_required). */
  setSilentSignIn(enabled: boolean): void {
    this.#silentSignIn = enabled;
  }

  accessTokenStatus(token: string): AccessTokenStatus {
    return this.#tokens.accessTokenStatus(token, (clientId) => this.#clients.find(clientId) !== undefined);
  }

  endpointOf(pathname: string): OAuthEndpoint | undefined {
    const { prefix, flavour } = this.#config;
    if (this.#metadataForm(pathname) !== undefined) return 'metadata';
    switch (pathname) {
      case `${prefix}/authorize`:
        return 'authorize';
      case `${prefix}/authorize/decision`:
        return 'decision';
      case `${prefix}/token`:
        return 'token';
      case `${prefix}/revoke`:
        return 'revoke';
      case `${prefix}/register`:
        return flavour === 'glean' ? 'register' : undefined;
      default:
        return undefined;
    }
  }

  handle(endpoint: OAuthEndpoint, request: OAuthRequest): Reply {
    switch (endpoint) {
      case 'metadata':
        return this.#metadataReply(request);
      case 'register':
        return this.#register(request);
      case 'authorize':
        return this.#authorize(request);
      case 'decision':
        return this.#decide(request);
      case 'token':
        return this.#token(request);
      case 'revoke':
        return this.#revoke(request);
    }
  }

  #metadataForm(pathname: string): 'issuer-path' | 'root' | 'openid' | undefined {
    const { prefix, flavour } = this.#config;
    if (flavour === 'idp') return pathname === '/.well-known/openid-configuration' ? 'openid' : undefined;
    if (pathname === `/.well-known/oauth-authorization-server${prefix}`) return 'issuer-path';
    if (pathname === '/.well-known/oauth-authorization-server') return 'root';
    return undefined;
  }

  #metadataReply({ method, url }: OAuthRequest): Reply {
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed('GET');
    const form = this.#metadataForm(url.pathname);
    if (form !== 'openid' && this.#discovery !== 'both' && this.#discovery !== form) {
      return textReply(404, `this sandbox serves its metadata only in the ${this.#discovery} form right now`);
    }
    return jsonReply(200, this.metadata);
  }

  #register({ method, headers, body }: OAuthRequest): Reply {
    if (method !== 'POST') return methodNotAllowed('POST');
    if (this.#registration === 'disabled') {
      // What Glean has been seen to answer when an administrator turned registration off.
      return textReply(500, 'OAuth Dynamic Client Registration disabled.');
    }
    if (mediaType(headers) !== 'application/json') {
      return oauthError(400, 'invalid_client_metadata', 'send the client metadata as application/json (RFC 7591 section 3.1)');
    }
    let metadata: unknown;
    try {
      metadata = JSON.parse(body.toString('utf8'));
    } catch {
      return oauthError(400, 'invalid_client_metadata', 'the request body is not valid JSON');
    }
    const outcome = this.#clients.register(metadata, this.#registration);
    switch (outcome.kind) {
      case 'registered':
        return noStore(jsonReply(201, outcome.response, `client ${outcome.client.clientId}`));
      case 'error':
        return oauthError(400, outcome.error, outcome.description);
      case 'disabled':
        return textReply(500, 'OAuth Dynamic Client Registration disabled.');
    }
  }

  /** Checks an authorization request (RFC 6749 section 4.1.2.1): client and redirect URI first, for they decide where errors may go. */
  #check(params: URLSearchParams): Checked {
    const { serverName } = this.#config;
    const clientId = params.get('client_id');
    const client = this.#clients.find(clientId);
    if (!client) {
      const message = clientId
        ? `The application "${clientId}" is not registered with ${serverName}. It may have been removed: register it again and retry.`
        : 'The sign-in request names no application (client_id is missing).';
      return { kind: 'reply', reply: errorPage('Unknown application', message) };
    }
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri || !this.#clients.allowsRedirect(client, redirectUri)) {
      const message = redirectUri
        ? `${redirectUri} is not a redirect URI this application may use, so you are not sent there. An administrator allows redirect URIs for the application.`
        : 'The sign-in request has no redirect_uri.';
      return { kind: 'reply', reply: errorPage('Cannot sign in', message) };
    }
    const state = params.get('state') ?? undefined;
    const fail = (error: string, description: string): Checked => ({
      kind: 'reply',
      reply: this.#redirectError(redirectUri, state, error, description),
    });
    if (params.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be "code"');
    const codeChallenge = params.get('code_challenge');
    if (!codeChallenge) return fail('invalid_request', 'code_challenge is required (PKCE)');
    if (params.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!PKCE_CHALLENGE.test(codeChallenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters');
    const scope = scopeList(params.get('scope'));
    const unknown = scope.filter((name) => !this.#config.scopes.includes(name));
    if (unknown.length > 0) return fail('invalid_scope', `unknown scope ${unknown.join(' ')}; known: ${this.#config.scopes.join(' ')}`);
    const prompt = params.get('prompt') ?? undefined;
    return { kind: 'ok', request: { client, redirectUri, state, scope, codeChallenge, prompt } };
  }

  #redirectError(redirectUri: string, state: string | undefined, error: string, description: string): Reply {
    const location = new URL(redirectUri);
    location.searchParams.set('error', error);
    location.searchParams.set('error_description', description);
    if (state !== undefined) location.searchParams.set('state', state);
    location.searchParams.set('iss', this.issuer);
    return redirect(location, {}, `${error}: ${description}`);
  }

  #redirectWithCode(request: AuthorizationRequest, headers: Record<string, string> = {}): Reply {
    const { client, redirectUri, state, scope, codeChallenge } = request;
    const code = this.#tokens.issueCode({ clientId: client.clientId, redirectUri, codeChallenge, scope });
    const location = new URL(redirectUri);
    location.searchParams.set('code', code);
    if (state !== undefined) location.searchParams.set('state', state);
    location.searchParams.set('iss', this.issuer);
    return redirect(location, headers, `code for ${client.clientId}`);
  }

  /** GET only, and without side effects but a new code: Firefox fetches the URL once before it opens the window. */
  #authorize({ method, url, headers }: OAuthRequest): Reply {
    if (method !== 'GET') return methodNotAllowed('GET');
    const checked = this.#check(url.searchParams);
    if (checked.kind === 'reply') return checked.reply;
    const { request } = checked;
    const session = cookie(headers, this.#sessionCookie);
    const signedIn = this.#silentSignIn && session !== undefined && this.#sessions.has(session);
    const mustAsk = request.prompt === 'login' || request.prompt === 'consent';
    if (signedIn && !mustAsk) return this.#redirectWithCode(request);
    if (request.prompt === 'none') {
      return this.#redirectError(request.redirectUri, request.state, 'login_required', 'the person must sign in (no silent sign-in possible)');
    }
    const fields: Record<string, string> = {};
    for (const name of AUTHORIZATION_FIELDS) {
      const value = url.searchParams.get(name);
      if (value !== null) fields[name] = value;
    }
    return consentPage({
      serverName: this.#config.serverName,
      clientName: request.client.clientName ?? request.client.clientId,
      redirectUri: request.redirectUri,
      scope: request.scope,
      decisionPath: `${this.#config.prefix}/authorize/decision`,
      fields,
    });
  }

  #decide({ method, headers, body }: OAuthRequest): Reply {
    if (method !== 'POST') return methodNotAllowed('POST');
    if (mediaType(headers) !== 'application/x-www-form-urlencoded') {
      return errorPage('Cannot sign in', 'The decision must be sent by the sign-in form.');
    }
    const params = new URLSearchParams(body.toString('utf8'));
    const checked = this.#check(params);
    if (checked.kind === 'reply') return checked.reply;
    const { request } = checked;
    switch (params.get('decision')) {
      case 'allow': {
        const session = randomBytes(18).toString('base64url');
        this.#sessions.add(session);
        const path = this.#config.prefix || '/';
        const setCookie = `${this.#sessionCookie}=${session}; Path=${path}; HttpOnly; SameSite=Lax`;
        return this.#redirectWithCode(request, { 'set-cookie': setCookie });
      }
      case 'deny':
        return this.#redirectError(request.redirectUri, request.state, 'access_denied', 'the person denied access');
      default:
        return errorPage('Cannot sign in', 'Choose Allow or Deny.');
    }
  }

  #token({ method, headers, body }: OAuthRequest): Reply {
    if (method !== 'POST') return methodNotAllowed('POST');
    if (mediaType(headers) !== 'application/x-www-form-urlencoded') {
      return oauthError(400, 'invalid_request', 'send the token request as application/x-www-form-urlencoded');
    }
    const params = new URLSearchParams(body.toString('utf8'));
    const grantType = params.get('grant_type');
    if (!grantType) return oauthError(400, 'invalid_request', 'grant_type is required');
    const clientId = params.get('client_id');
    const client = this.#clients.find(clientId);
    if (!client) {
      const description = clientId ? `client ${clientId} is unknown here; register again` : 'client_id is required (public clients send it in the body)';
      return oauthError(401, 'invalid_client', description);
    }
    const required = (name: string): string => {
      const value = params.get(name);
      if (!value) throw new GrantError('invalid_request', `${name} is required for grant_type ${grantType}`);
      return value;
    };
    try {
      let issued: IssuedTokens;
      if (grantType === 'authorization_code') {
        issued = this.#tokens.exchangeCode(required('code'), client.clientId, required('redirect_uri'), required('code_verifier'));
      } else if (grantType === 'refresh_token') {
        const scope = params.has('scope') ? scopeList(params.get('scope')) : undefined;
        issued = this.#tokens.refresh(required('refresh_token'), client.clientId, scope);
      } else {
        return oauthError(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported; use authorization_code or refresh_token`);
      }
      return noStore(
        jsonReply(200, {
          access_token: issued.accessToken,
          token_type: 'Bearer',
          expires_in: issued.expiresIn,
          ...(issued.refreshToken === undefined ? {} : { refresh_token: issued.refreshToken }),
          scope: issued.scope.join(' '),
        }),
      );
    } catch (error) {
      if (error instanceof GrantError) return oauthError(400, error.code, error.message);
      throw error;
    }
  }

  #revoke({ method, headers, body }: OAuthRequest): Reply {
    if (method !== 'POST') return methodNotAllowed('POST');
    if (mediaType(headers) !== 'application/x-www-form-urlencoded') {
      return oauthError(400, 'invalid_request', 'send the revocation request as application/x-www-form-urlencoded');
    }
    const params = new URLSearchParams(body.toString('utf8'));
    const token = params.get('token');
    if (!token) return oauthError(400, 'invalid_request', 'token is required');
    // RFC 7009 section 2.2: unknown or already invalid tokens are answered 200 all the same.
    this.#tokens.revoke(token, params.get('client_id') ?? undefined);
    return noStore({ status: 200, headers: {}, body: Buffer.alloc(0) });
  }
}

/** The test-facing controls and views of the sandbox's OAuth authorization server (issuer `<url>/oauth`). */
export type SandboxOAuth = Pick<
  AuthorizationServer,
  | 'issuer'
  | 'metadata'
  | 'clients'
  | 'issuedTokens'
  | 'issuedTokenValues'
  | 'setRegistration'
  | 'setDiscovery'
  | 'addStaticClient'
  | 'forgetClients'
  | 'setAccessTokenLifetime'
  | 'expireAccessTokens'
  | 'revokeRefreshTokens'
  | 'endSessions'
  | 'setSilentSignIn'
>;

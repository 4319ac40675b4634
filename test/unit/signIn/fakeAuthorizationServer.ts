/**
 * A Glean-like OAuth authorization server in a fake fetch, and the browser's sign-in window as a fake
 * `launch`. Like Glean (https://github.com/gleanwork/glean-auth): the issuer is `<server>/oauth`, its
 * RFC 8414 metadata is at `/.well-known/oauth-authorization-server/oauth`, clients register by RFC 7591
 * (a disabled registration answers HTTP 500 with text), and the token endpoint checks PKCE (S256).
 * Each part can be replaced by a test; everything asked is recorded.
 */
import { createHash } from 'node:crypto';
import type { ClientRegistry } from '../../../src/worker/signIn/clientRegistry.ts';
import { createClientRegistry } from '../../../src/worker/signIn/clientRegistry.ts';
import type { FlowDeps } from '../../../src/worker/signIn/oauthFlow.ts';
import { fakeFetch, jsonResponse, textResponse, type RecordedRequest } from '../glean/fakes.ts';
import { FakeStorageArea } from '../worker/fakeStorage.ts';

export const SERVER = 'https://acme-prod-be.glean.com';
export const ISSUER = `${SERVER}/oauth`;
export const REDIRECT_URL = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
export const T0 = Date.parse('2026-02-01T09:00:00Z');

export const ISSUER_PATH_METADATA = '/.well-known/oauth-authorization-server/oauth';
export const ROOT_METADATA = '/.well-known/oauth-authorization-server';

/** RFC 7636 §4.2: BASE64URL(SHA256(code_verifier)). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export interface TokenRequest {
  params: URLSearchParams;
  request: RecordedRequest;
}

export class FakeAuthorizationServer {
  /** The fake clock: only the test and `tokenDelayMs` move it. */
  time = T0;
  readonly now = (): number => this.time;
  /** How long the token endpoint takes to answer; the clock moves on by this much meanwhile. */
  tokenDelayMs = 0;

  /** Paths that answer with the metadata. */
  metadataAt = new Set([ISSUER_PATH_METADATA]);
  issuer = ISSUER;
  metadata = (): Record<string, unknown> => ({
    issuer: this.issuer,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    registration_endpoint: `${ISSUER}/register`,
    revocation_endpoint: `${ISSUER}/revoke`,
    code_challenge_methods_supported: ['S256'],
  });

  /** Client ids issued, in order. */
  readonly registered: string[] = [];
  register = (request: RecordedRequest): Response => {
    const metadata = JSON.parse(String(request.body)) as { redirect_uris: string[] };
    const clientId = `client-${this.registered.length + 1}`;
    this.registered.push(clientId);
    return jsonResponse({ client_id: clientId, redirect_uris: metadata.redirect_uris, token_endpoint_auth_method: 'none' }, 201);
  };

  /** The authorization URLs the sign-in window was opened with. */
  readonly launched: URL[] = [];
  /** What the window comes back with; by default the person approves. */
  authorize = (url: URL): string => {
    const back = new URL(REDIRECT_URL);
    const code = `code-${this.launched.length}`;
    this.challenges.set(code, url.searchParams.get('code_challenge') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    return back.href;
  };
  readonly launch = async (url: string, _interactive: boolean): Promise<string> => {
    const parsed = new URL(url);
    this.launched.push(parsed);
    return this.authorize(parsed);
  };
  /** code → the code_challenge it was issued for. */
  readonly challenges = new Map<string, string>();

  readonly tokenRequests: TokenRequest[] = [];
  /** Tokens issued so far, to name each one differently. */
  private issued = 0;
  /** Whether a refresh hands out a new refresh token (rotation). */
  rotate = true;
  expiresIn: number | undefined = 3600;
  token = ({ params }: TokenRequest): Response => {
    this.issued += 1;
    const n = this.issued;
    const lifetime = this.expiresIn === undefined ? {} : { expires_in: this.expiresIn };
    if (params.get('grant_type') === 'authorization_code') {
      const challenge = this.challenges.get(params.get('code') ?? '');
      if (challenge === undefined || s256(params.get('code_verifier') ?? '') !== challenge) return jsonResponse({ error: 'invalid_grant' }, 400);
      return jsonResponse({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'Bearer', ...lifetime });
    }
    return jsonResponse({ access_token: `access-${n}`, token_type: 'Bearer', ...(this.rotate ? { refresh_token: `refresh-${n}` } : {}), ...lifetime });
  };

  readonly http = fakeFetch(async (request) => {
    const url = new URL(request.url);
    if (url.origin !== SERVER) return textResponse('no such host', 502);
    if (request.method === 'GET' && this.metadataAt.has(url.pathname)) return jsonResponse(this.metadata());
    if (request.method === 'POST' && url.pathname === '/oauth/register') return this.register(request);
    if (request.method === 'POST' && url.pathname === '/oauth/token') {
      const asked = { params: new URLSearchParams(String(request.body)), request };
      this.tokenRequests.push(asked);
      this.time += this.tokenDelayMs;
      return this.token(asked);
    }
    if (request.method === 'POST' && url.pathname === '/oauth/revoke') return new Response(null, { status: 200 });
    return jsonResponse({ error: 'not found' }, 404);
  });

  /** Requests for one path, e.g. '/oauth/register'. */
  requestsTo(path: string): RecordedRequest[] {
    return this.http.requests.filter((request) => new URL(request.url).pathname === path);
  }

  /** What oauthFlow.ts needs, wired to this server; `local` holds the client registrations. */
  flowDeps(local = new FakeStorageArea(), redirectUrl = REDIRECT_URL): FlowDeps & { clients: ClientRegistry; local: FakeStorageArea } {
    const http = { fetch: this.http.fetch, allowInsecure: false };
    return { http, clients: createClientRegistry(local, http), redirectUrl, launch: this.launch, now: this.now, local };
  }
}

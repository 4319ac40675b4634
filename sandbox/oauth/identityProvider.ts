/**
 * A stand-in for a company's identity provider (Okta, Entra ID, Google Workspace, OneLogin) on its own
 * 127.0.0.1 port: OpenID discovery, the same sign-in page, PKCE and rotating refresh tokens as the
 * sandbox's own authorization server, but clients only as an administrator pre-registers them.
 * Glean accepts its access tokens only with `X-Glean-Auth-Type: OAUTH` (startSandbox's identityProvider).
 */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { flattenHeaders, flattenQuery, readBody, send } from '../http.ts';
import { RequestRecorder, type RecordedRequest, type WaitOptions } from '../recorder.ts';
import { textReply } from '../reply.ts';
import { AuthorizationServer, grantTypeOf, type IssuedTokenCounts } from './authorizationServer.ts';
import type { OAuthClient } from './clients.ts';
import type { TokenIssuer } from './credentials.ts';
import type { AccessTokenStatus } from './tokens.ts';

const HOST = '127.0.0.1';
/** Token and sign-in requests are small; anything larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;
export const IDENTITY_PROVIDER_SCOPES = ['openid', 'offline_access', 'profile', 'email'] as const;

export interface IdentityProviderOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** One line per request; silent by default. */
  log?: (line: string) => void;
  /** Shown on the sign-in page: "Sign in to <name>". */
  name?: string;
}

export interface IdentityProvider extends TokenIssuer {
  /** Its origin, which is also its issuer. */
  readonly url: string;
  readonly issuer: string;
  /** Every request, in the order their outcome was known (all of them OAuth requests). */
  readonly requests: readonly RecordedRequest[];
  readonly clients: readonly OAuthClient[];
  readonly issuedTokens: IssuedTokenCounts;
  /** Pre-registers a public client, as the company's administrator does; returns its client_id. */
  addClient(options: { redirectUriPatterns: readonly string[] }): string;
  setAccessTokenLifetime(seconds: number): void;
  expireAccessTokens(): void;
  revokeRefreshTokens(): void;
  endSessions(): void;
  setSilentSignIn(enabled: boolean): void;
  /** Waits for requests to one endpoint, e.g. `{ oauth: 'token', grantType: 'refresh_token' }`. */
  waitForRequests(count: number, options: WaitOptions & { oauth: NonNullable<WaitOptions['oauth']> }): Promise<RecordedRequest[]>;
  accessTokenStatus(token: string): AccessTokenStatus;
  close(): Promise<void>;
}

export async function startIdentityProvider(options: IdentityProviderOptions = {}): Promise<IdentityProvider> {
  const log = options.log ?? ((): void => undefined);
  let port = options.port ?? 0;
  const origin = (): string => `http://${HOST}:${port}`;
  const server = new AuthorizationServer({
    origin,
    prefix: '',
    flavour: 'idp',
    serverName: options.name ?? 'Example Corp (sandbox identity provider)',
    scopes: IDENTITY_PROVIDER_SCOPES,
    idPrefix: 'idp_sandbox_',
  });
  const recorder = new RequestRecorder();

  const http = createServer((request, response) => {
    const started = performance.now();
    const at = Date.now();
    const method = request.method ?? 'GET';
    const rawUrl = request.url ?? '/';
    readBody(request, MAX_BODY_BYTES)
      .then((body) => {
        const url = new URL(rawUrl, origin());
        const headers = flattenHeaders(request.headers);
        const endpoint = server.endpointOf(url.pathname);
        const reply = body.tooLarge
          ? textReply(413, `request body is over ${MAX_BODY_BYTES} bytes`)
          : endpoint
            ? server.handle(endpoint, { method, url, headers, body: body.bytes })
            : textReply(404, `no such endpoint; see ${origin()}/.well-known/openid-configuration`);
        send(response, reply);
        recorder.add({
          method,
          path: url.pathname,
          query: flattenQuery(url.searchParams),
          headers,
          bodyBytes: body.size,
          bodySha256: body.sha256,
          status: reply.status,
          at,
          oauth: endpoint && { endpoint, grantType: endpoint === 'token' ? grantTypeOf(body.bytes) : undefined },
        });
        log(`idp ${method} ${rawUrl} -> ${reply.status} ${Math.round(performance.now() - started)} ms${reply.note ? ` ${reply.note}` : ''}`);
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        log(`idp ${method} ${rawUrl} -> failed: ${message}`);
        if (!response.headersSent) send(response, textReply(500, `identity provider error: ${message}`));
      });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen({ port, host: HOST }, () => {
      http.off('error', reject);
      const address = http.address();
      if (address !== null && typeof address === 'object') port = address.port;
      resolve();
    });
  });

  return {
    get url() {
      return origin();
    },
    get issuer() {
      return server.issuer;
    },
    requests: recorder.entries,
    get clients() {
      return server.clients;
    },
    get issuedTokens() {
      return server.issuedTokens;
    },
    addClient: (clientOptions) => server.addStaticClient(clientOptions),
    setAccessTokenLifetime: (seconds) => server.setAccessTokenLifetime(seconds),
    expireAccessTokens: () => server.expireAccessTokens(),
    revokeRefreshTokens: () => server.revokeRefreshTokens(),
    endSessions: () => server.endSessions(),
    setSilentSignIn: (enabled) => server.setSilentSignIn(enabled),
    waitForRequests: (count, waitOptions) => recorder.waitFor(count, waitOptions),
    accessTokenStatus: (token) => server.accessTokenStatus(token),
    close() {
      return new Promise((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeAllConnections();
      });
    },
  };
}

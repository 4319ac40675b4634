/**
 * The OAuth 2.1 exchanges, done by oauth4webapi (https://github.com/panva/oauth4webapi): the
 * authorization code flow with PKCE (S256) and `state` through the browser's sign-in window, and the
 * refresh grant. No storage and no browser API here: the window is injected as `launch`.
 */
import * as oauth from 'oauth4webapi';
import { GleanError } from '../../glean/gleanError.ts';
import { t } from '../../shared/i18n.ts';
import { discoverGlean, discoverIdentityProvider } from './authorizationServer.ts';
import type { ClientRegistry } from './clientRegistry.ts';
import { requestOptions, type OAuthHttp } from './oauthHttp.ts';
import { SignInError } from './signInError.ts';

export type SignInMethod = 'glean' | 'idp';

/** What to sign in to, from settings and policy. */
export interface SignInPlan {
  /** The Glean server the access token is for. */
  server: string;
  method: SignInMethod;
  /** The identity provider's issuer, for `idp`. */
  idpIssuer?: string;
  /** A static client an administrator created: no registration is made. */
  clientId?: string;
  scopes: readonly string[];
}

/** What a sign-in or a refresh yields: everything the next refresh needs, and the tokens. */
export interface Grant {
  method: SignInMethod;
  issuer: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
  clientId: string;
  accessToken: string;
  refreshToken: string | null;
  /** ms since epoch; null when the server did not say (then only a 401 renews it). */
  expiresAt: number | null;
}

export interface FlowDeps {
  http: OAuthHttp;
  clients: ClientRegistry;
  /** `identity.getRedirectURL()`: where the server sends the browser back to. */
  redirectUrl: string;
  /** `identity.launchWebAuthFlow`: resolves with the URL the server redirected to. */
  launch: (url: string, interactive: boolean) => Promise<string>;
  now: () => number;
}

export async function signIn(plan: SignInPlan, deps: FlowDeps, { interactive }: { interactive: boolean }): Promise<Grant> {
  const as =
    plan.method === 'glean' ? await discoverGlean(plan.server, deps.http) : await discoverIdentityProvider(plan.idpIssuer ?? '', deps.http);
  const host = new URL(as.issuer).host;
  try {
    return await authorize(plan, as, plan.clientId ?? (await deps.clients.clientFor(as, deps.redirectUrl)), deps, interactive);
  } catch (error) {
    if (!isInvalidClient(error)) throw error;
    // A policy's client the server does not know is the administrator's to fix.
    if (plan.clientId !== undefined) throw new SignInError(t('signInPolicyClientRefused', host), { cause: error });
  }
  // A registered client the server has forgotten: register again, once.
  await deps.clients.forget(as, deps.redirectUrl);
  try {
    return await authorize(plan, as, await deps.clients.clientFor(as, deps.redirectUrl), deps, interactive);
  } catch (error) {
    if (isInvalidClient(error)) throw new SignInError(t('signInFailed', host), { cause: error });
    throw error;
  }
}

/** The extension is a public client: it cannot keep a secret (RFC 8252 §8.4). */
const publicClient = (clientId: string): oauth.Client => ({ client_id: clientId, token_endpoint_auth_method: 'none' });

const isInvalidClient = (error: unknown): boolean => error instanceof oauth.ResponseBodyError && error.error === 'invalid_client';

async function authorize(plan: SignInPlan, as: oauth.AuthorizationServer, clientId: string, deps: FlowDeps, interactive: boolean): Promise<Grant> {
  const host = new URL(as.issuer).host;
  if (!as.authorization_endpoint || !as.token_endpoint) {
    throw new SignInError(t('signInNoAuthorizationServer', host));
  }
  const client = publicClient(clientId);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: deps.redirectUrl,
    scope: plan.scopes.join(' '),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    // A silent attempt must not leave a sign-in page waiting in a window nobody sees (OpenID Connect Core §3.1.2.1).
    ...(interactive ? {} : { prompt: 'none' }),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);

  let returned: string;
  try {
    returned = await deps.launch(url.href, interactive);
  } catch (error) {
    // Chrome and Firefox word this differently ("The user did not approve access.", "User cancelled
    // or denied access."): any rejection means no sign-in happened.
    throw new SignInError(t('signInCancelled'), { cause: error });
  }
  let callback: URLSearchParams;
  try {
    callback = oauth.validateAuthResponse(as, client, new URL(returned), state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError && error.error === 'access_denied') {
      throw new SignInError(t('signInCancelled'), { cause: error });
    }
    throw new SignInError(t('signInFailed', host), { cause: error });
  }
  const started = deps.now();
  const response = await send(() => oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callback, deps.redirectUrl, verifier, requestOptions(deps.http)), host);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response).catch((error: unknown) => {
    if (isInvalidClient(error)) throw error;
    throw new SignInError(t('signInFailed', host), { cause: error });
  });
  return {
    method: plan.method,
    issuer: as.issuer,
    tokenEndpoint: as.token_endpoint,
    ...(as.revocation_endpoint ? { revocationEndpoint: as.revocation_endpoint } : {}),
    clientId,
    ...fromTokens(tokens, null, started),
  };
}

/** The grant is over: the person signs in again (uploads wait for that, lookups say so). */
export const signInNeeded = (cause?: unknown): GleanError => new GleanError('sign-in-needed', 'The sign-in ended: sign in again.', { cause });

/** Errors a refresh can end in: the grant is over (sign in again), or Glean's usual failures (retried like any). */
const ENDED = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

export async function refresh(grant: Grant, deps: Pick<FlowDeps, 'http' | 'now'>): Promise<Grant> {
  const host = new URL(grant.issuer).host;
  if (grant.refreshToken === null) throw signInNeeded();
  const as: oauth.AuthorizationServer = { issuer: grant.issuer, token_endpoint: grant.tokenEndpoint };
  const client = publicClient(grant.clientId);
  const started = deps.now();
  const response = await send(() => oauth.refreshTokenGrantRequest(as, client, oauth.None(), grant.refreshToken ?? '', requestOptions(deps.http)), host);
  try {
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    return { ...grant, ...fromTokens(tokens, grant.refreshToken, started) };
  } catch (error) {
    // A 401 with a WWW-Authenticate challenge instead of a JSON error: the client or grant is refused all the same.
    if (error instanceof oauth.WWWAuthenticateChallengeError && error.status === 401) throw signInNeeded(error);
    if (error instanceof oauth.ResponseBodyError) {
      if (ENDED.has(error.error)) throw signInNeeded(error);
      throw new GleanError(error.status >= 500 ? 'server-error' : 'http', `POST ${new URL(grant.tokenEndpoint).pathname} answered ${error.error}`, { status: error.status });
    }
    throw new GleanError(response.status >= 500 ? 'server-error' : 'bad-response', `POST ${new URL(grant.tokenEndpoint).pathname} answered HTTP ${response.status}`, { status: response.status, cause: error });
  }
}

/** Revokes the refresh token at the server (RFC 7009), where it offers revocation; best effort. */
export async function revoke(grant: Grant, http: OAuthHttp): Promise<void> {
  if (!grant.revocationEndpoint || grant.refreshToken === null) return;
  const as: oauth.AuthorizationServer = { issuer: grant.issuer, revocation_endpoint: grant.revocationEndpoint };
  const client = publicClient(grant.clientId);
  await oauth.revocationRequest(as, client, oauth.None(), grant.refreshToken, requestOptions(http)).then((response) => oauth.processRevocationResponse(response));
}

/** A rotated refresh token replaces the old one; a server that does not rotate keeps the old one valid. */
function fromTokens(tokens: oauth.TokenEndpointResponse, previousRefresh: string | null, started: number): Pick<Grant, 'accessToken' | 'refreshToken' | 'expiresAt'> {
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? previousRefresh,
    // Counted from when the request left, so a slow answer never makes a token look fresher than it is.
    expiresAt: typeof tokens.expires_in === 'number' ? started + tokens.expires_in * 1000 : null,
  };
}

/** A request that could not be made at all: the server is unreachable, which Glean's retry handling knows. */
async function send(request: () => Promise<Response>, host: string): Promise<Response> {
  try {
    return await request();
  } catch (error) {
    throw new GleanError('unreachable', `${host} could not be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Finding the authorization server to sign in with: Glean's own (RFC 8414 metadata on the instance)
 * or the company's identity provider (OpenID Connect discovery at the issuer an administrator set).
 */
import * as oauth from 'oauth4webapi';
import { t } from '../../shared/i18n.ts';
import { requestOptions, type OAuthHttp } from './oauthHttp.ts';
import { SignInError } from './signInError.ts';

/**
 * Glean's issuer is `<server>/oauth`, discovered at the RFC 8414 §3.1 path
 * `/.well-known/oauth-authorization-server/oauth` (what Glean's own client does:
 * https://github.com/gleanwork/glean-auth). Servers that only answer at the root form
 * (`/.well-known/oauth-authorization-server`) are tried second. Either way the issuer must be on the
 * server's own origin: metadata naming another origin would send the person's sign-in elsewhere.
 */
export async function discoverGlean(server: string, http: OAuthHttp): Promise<oauth.AuthorizationServer> {
  const origin = new URL(server).origin;
  for (const issuer of [new URL('/oauth', origin), new URL(origin)]) {
    const response = await request(() => oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...requestOptions(http) }), server);
    if (!response.ok) continue;
    const named = await response.clone().json().then((json: unknown) => issuerOf(json), () => undefined);
    // Not metadata at all (a sign-in page, JSON without an issuer): try the next form.
    if (named === undefined) continue;
    if (named.origin !== origin) {
      throw new SignInError(t('signInForeignIssuer', new URL(server).host));
    }
    return process(() => oauth.processDiscoveryResponse(named, response), server);
  }
  throw new SignInError(t('signInNoAuthorizationServer', new URL(server).host));
}

/** OpenID Connect discovery at the identity provider's issuer (https://openid.net/specs/openid-connect-discovery-1_0.html). */
export async function discoverIdentityProvider(issuer: string, http: OAuthHttp): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  const response = await request(() => oauth.discoveryRequest(url, { algorithm: 'oidc', ...requestOptions(http) }), issuer);
  if (!response.ok) throw new SignInError(t('signInNoAuthorizationServer', url.host));
  return process(() => oauth.processDiscoveryResponse(url, response), issuer);
}

function issuerOf(json: unknown): URL | undefined {
  if (typeof json !== 'object' || json === null || !('issuer' in json) || typeof json.issuer !== 'string') return undefined;
  try {
    return new URL(json.issuer);
  } catch {
    return undefined;
  }
}

/** A request that could not be made at all: the server is unreachable (fetch rejects with a TypeError). */
async function request(send: () => Promise<Response>, where: string): Promise<Response> {
  try {
    return await send();
  } catch (error) {
    throw new SignInError(t('signInUnreachable', new URL(where).host), { cause: error });
  }
}

async function process(read: () => Promise<oauth.AuthorizationServer>, where: string): Promise<oauth.AuthorizationServer> {
  try {
    return await read();
  } catch (error) {
    throw new SignInError(t('signInNoAuthorizationServer', new URL(where).host), { cause: error });
  }
}

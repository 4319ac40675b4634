/**
 * Which OAuth client the extension signs in as: the one an administrator gave by policy, else the one
 * it registered before with this issuer for this redirect URL, else a new one by Dynamic Client
 * Registration (RFC 7591). Client ids of public clients are not secrets; they are kept in
 * `storage.local` so that a sign-in after a sign-out does not register again.
 */
import * as oauth from 'oauth4webapi';
import { isRecord } from '../../shared/isRecord.ts';
import { t } from '../../shared/i18n.ts';
import type { KeyValueArea } from '../settings.ts';
import { requestOptions, type OAuthHttp } from './oauthHttp.ts';
import { SignInError } from './signInError.ts';

const REGISTRATIONS_KEY = 'oauthClients';

/** The registration cache's key: a client registered for one issuer and redirect URL is good only for both. */
export const registrationKey = (issuer: string, redirectUrl: string): string => `${issuer} ${redirectUrl}`;

export interface ClientRegistry {
  /** The client to sign in as; registers one when there is none. */
  clientFor(as: oauth.AuthorizationServer, redirectUrl: string): Promise<string>;
  /** The server no longer knows the registered client (`invalid_client`): the next sign-in registers again. */
  forget(as: oauth.AuthorizationServer, redirectUrl: string): Promise<void>;
}

export function createClientRegistry(local: KeyValueArea, http: OAuthHttp): ClientRegistry {
  async function registrations(): Promise<Record<string, unknown>> {
    const { [REGISTRATIONS_KEY]: stored } = await local.get(REGISTRATIONS_KEY);
    return isRecord(stored) ? stored : {};
  }

  return {
    async clientFor(as, redirectUrl) {
      const key = registrationKey(as.issuer, redirectUrl);
      const known = (await registrations())[key];
      if (typeof known === 'string' && known) return known;
      const clientId = await register(as, redirectUrl, http);
      await local.set({ [REGISTRATIONS_KEY]: { ...(await registrations()), [key]: clientId } });
      return clientId;
    },

    async forget(as, redirectUrl) {
      const { [registrationKey(as.issuer, redirectUrl)]: _gone, ...rest } = await registrations();
      await local.set({ [REGISTRATIONS_KEY]: rest });
    },
  };
}

async function register(as: oauth.AuthorizationServer, redirectUrl: string, http: OAuthHttp): Promise<string> {
  const host = new URL(as.issuer).host;
  const refused = (cause?: unknown) => new SignInError(t('signInRegistrationRefused', host, redirectUrl), { cause });
  if (!as.registration_endpoint) throw refused();
  let response: Response;
  try {
    response = await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: 'Glean Images',
        redirect_uris: [redirectUrl],
        // A public client: an extension cannot keep a secret (RFC 8252 §8.4).
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      requestOptions(http),
    );
  } catch (error) {
    throw new SignInError(t('signInUnreachable', host), { cause: error });
  }
  // Glean answers a disabled registration with HTTP 500 and text, an unapproved redirect URL with a 4xx.
  if (!response.ok) throw refused(response.status);
  try {
    return (await oauth.processDynamicClientRegistrationResponse(response)).client_id;
  } catch (error) {
    throw refused(error);
  }
}

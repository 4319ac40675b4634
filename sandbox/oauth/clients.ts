/** Who may ask for tokens: clients registered by RFC 7591 requests, and static ones an administrator made. */
import { randomBytes } from 'node:crypto';
import { redirectUriMatches, redirectUriProblem } from './redirectPatterns.ts';

/** 'any': Glean's documented default; patterns: "approved applications only"; 'disabled': registration off. */
export type RegistrationPolicy = 'any' | 'disabled' | { redirectUriPatterns: readonly string[] };

export interface OAuthClient {
  clientId: string;
  /** 'registered' by Dynamic Client Registration, or 'static' (made by an administrator). */
  kind: 'registered' | 'static';
  /** Registered clients: the redirect URIs they registered, matched exactly. */
  redirectUris: readonly string[];
  /** Static clients: the patterns an administrator allowed (see redirectPatterns.ts). */
  redirectUriPatterns: readonly string[];
  clientName?: string;
}

/** An RFC 7591 section 3.2.2 error, or the text Glean answers with when registration is off. */
export type RegistrationRefusal =
  | { kind: 'error'; error: 'invalid_redirect_uri' | 'invalid_client_metadata'; description: string }
  | { kind: 'disabled' };

export type RegistrationOutcome = { kind: 'registered'; client: OAuthClient; response: Record<string, unknown> } | RegistrationRefusal;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function metadataError(description: string): RegistrationRefusal {
  return { kind: 'error', error: 'invalid_client_metadata', description };
}

export class ClientRegistry {
  readonly #clients = new Map<string, OAuthClient>();
  readonly #prefix: string;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  get all(): readonly OAuthClient[] {
    return [...this.#clients.values()];
  }

  find(clientId: string | null | undefined): OAuthClient | undefined {
    return clientId ? this.#clients.get(clientId) : undefined;
  }

  allowsRedirect(client: OAuthClient, uri: string): boolean {
    return client.redirectUris.includes(uri) || client.redirectUriPatterns.some((pattern) => redirectUriMatches(pattern, uri));
  }

  addStatic(redirectUriPatterns: readonly string[]): OAuthClient {
    if (redirectUriPatterns.length === 0) throw new TypeError('a static client needs at least one redirect URI pattern');
    return this.#add({ kind: 'static', redirectUris: [], redirectUriPatterns: [...redirectUriPatterns] });
  }

  /** Forgets the registered clients (static ones stay, as an administrator made them). */
  forgetRegistered(): void {
    for (const client of this.#clients.values()) {
      if (client.kind === 'registered') this.#clients.delete(client.clientId);
    }
  }

  /** RFC 7591 section 3: only public clients (token_endpoint_auth_method "none") using the code flow. */
  register(metadata: unknown, policy: RegistrationPolicy): RegistrationOutcome {
    if (policy === 'disabled') return { kind: 'disabled' };
    if (!isRecord(metadata)) return metadataError('the request body must be a JSON object of client metadata');
    const { redirect_uris: redirectUris, token_endpoint_auth_method: authMethod } = metadata;
    if (!isStringArray(redirectUris) || redirectUris.length === 0) {
      return { kind: 'error', error: 'invalid_redirect_uri', description: 'redirect_uris must be a non-empty array of URLs' };
    }
    for (const uri of redirectUris) {
      const problem = redirectUriProblem(uri);
      if (problem) return { kind: 'error', error: 'invalid_redirect_uri', description: problem };
      if (policy !== 'any' && !policy.redirectUriPatterns.some((pattern) => redirectUriMatches(pattern, uri))) {
        const allowed = policy.redirectUriPatterns.join(', ') || '(none)';
        const description = `redirect URI ${uri} is not approved for registration here; an administrator allows: ${allowed}`;
        return { kind: 'error', error: 'invalid_redirect_uri', description };
      }
    }
    if (authMethod !== 'none') {
      return metadataError('only public clients can register: token_endpoint_auth_method must be "none"');
    }
    const grantTypes = metadata.grant_types ?? ['authorization_code'];
    if (!isStringArray(grantTypes) || grantTypes.some((type) => type !== 'authorization_code' && type !== 'refresh_token')) {
      return metadataError('grant_types may only hold "authorization_code" and "refresh_token"');
    }
    const responseTypes = metadata.response_types ?? ['code'];
    if (!isStringArray(responseTypes) || responseTypes.some((type) => type !== 'code')) {
      return metadataError('response_types may only hold "code"');
    }
    const clientName = typeof metadata.client_name === 'string' ? metadata.client_name : undefined;
    const client = this.#add({ kind: 'registered', redirectUris: [...redirectUris], redirectUriPatterns: [], clientName });
    const response = {
      ...metadata,
      client_id: client.clientId,
      client_id_issued_at: Math.floor(Date.now() / 1000),
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: 'none',
      grant_types: grantTypes,
      response_types: responseTypes,
    };
    return { kind: 'registered', client, response };
  }

  #add(fields: Omit<OAuthClient, 'clientId'>): OAuthClient {
    const client: OAuthClient = { clientId: `${this.#prefix}${randomBytes(8).toString('hex')}`, ...fields };
    this.#clients.set(client.clientId, client);
    return client;
  }
}

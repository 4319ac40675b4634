/**
 * The sign-in at rest, and the only module that may read or write it (an ESLint rule enforces it):
 * the grant (access and refresh tokens, endpoints) sealed for its server like the API token
 * (src/worker/tokenSeal.ts), beside what pages may know: the server, the method, whether it ended.
 */
import type { KeyValueArea } from '../settings.ts';
import { isSealedToken, type SealedToken, type TokenSeal } from '../tokenSeal.ts';
import type { Grant, SignInMethod } from './oauthFlow.ts';

const SIGN_IN_KEY = 'gleanSignIn';

export interface SignInStatus {
  server: string;
  method: SignInMethod;
  /**
   * Names this sign-in without saying anything about its tokens: it lasts across refreshes and across
   * signing in again after the sign-in ended, and changes with a sign-out. Upload jobs and the image
   * cache are filed under it.
   */
  identity: string;
  /** The server refused a refresh: the person signs in again, and uploads wait for that. */
  ended: boolean;
}

interface StoredSignIn extends SignInStatus {
  grant: SealedToken;
}

export interface SignIn extends SignInStatus {
  grant: Grant;
}

function isStored(value: unknown): value is StoredSignIn {
  if (typeof value !== 'object' || value === null) return false;
  const { server, method, identity, ended, grant } = value as StoredSignIn;
  return typeof server === 'string' && (method === 'glean' || method === 'idp') && typeof identity === 'string' && typeof ended === 'boolean' && isSealedToken(grant);
}

function isGrant(value: unknown): value is Grant {
  if (typeof value !== 'object' || value === null) return false;
  const grant = value as Grant;
  return (
    typeof grant.accessToken === 'string' &&
    typeof grant.tokenEndpoint === 'string' &&
    typeof grant.issuer === 'string' &&
    typeof grant.clientId === 'string' &&
    (grant.refreshToken === null || typeof grant.refreshToken === 'string') &&
    (grant.expiresAt === null || typeof grant.expiresAt === 'number')
  );
}

export function createSignInStore(local: KeyValueArea, seal: TokenSeal) {
  async function stored(): Promise<StoredSignIn | undefined> {
    const { [SIGN_IN_KEY]: value } = await local.get(SIGN_IN_KEY);
    return isStored(value) ? value : undefined;
  }

  return {
    /** What pages may know; no unsealing. */
    async status(): Promise<SignInStatus | undefined> {
      const found = await stored();
      if (!found) return undefined;
      const { grant: _sealed, ...status } = found;
      return status;
    },

    /** The sign-in for `server`, unsealed; undefined when there is none for it. */
    async read(server: string): Promise<SignIn | undefined> {
      const found = await stored();
      if (!found || found.server !== server) return undefined;
      const { grant: sealed, ...status } = found;
      let grant: unknown;
      try {
        grant = JSON.parse(await seal.unseal(sealed, server));
      } catch {
        return undefined;
      }
      return isGrant(grant) ? { ...status, grant } : undefined;
    },

    async write(signIn: SignIn): Promise<void> {
      const { grant, ...status } = signIn;
      const record: StoredSignIn = { ...status, grant: await seal.seal(JSON.stringify(grant), status.server) };
      await local.set({ [SIGN_IN_KEY]: record });
    },

    /** Keeps who signed in, so that uploads waiting for them go on once they sign in again. */
    async markEnded(server: string): Promise<void> {
      const found = await stored();
      if (found && found.server === server) await local.set({ [SIGN_IN_KEY]: { ...found, ended: true } });
    },

    async clear(): Promise<void> {
      await local.remove(SIGN_IN_KEY);
    },
  };
}

export type SignInStore = ReturnType<typeof createSignInStore>;
export { SIGN_IN_KEY };

/**
 * A signed-in person's access token, fresh: refreshed a minute before it expires, and again when Glean
 * refuses it (401). One refresh at a time across every caller, every page and worker restarts: the
 * refresh runs under an exclusive lock and first re-reads the stored sign-in, so 50 lookups that find
 * the token expired make one request to the token endpoint, and the rotated refresh token is stored
 * before the new access token is used.
 */
import { GleanError } from '../../glean/gleanError.ts';
import { signInNeeded, type Grant } from './oauthFlow.ts';
import type { SignIn, SignInStore } from './signInStore.ts';

/** Refresh this long before expiry, so a token never expires on its way to Glean. */
export const REFRESH_MARGIN_MS = 60_000;

export interface SessionDeps {
  store: SignInStore;
  refresh: (grant: Grant) => Promise<Grant>;
  /** Runs `work` while holding the extension-wide refresh lock (navigator.locks in the browser). */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>;
  now: () => number;
  /** The server refused a refresh: true when a silent sign-in brought the person back, else they are asked to sign in. */
  ended: (server: string) => Promise<boolean>;
}

export function createSignInSession(deps: SessionDeps) {
  const due = (grant: Grant): boolean => grant.expiresAt !== null && grant.expiresAt - REFRESH_MARGIN_MS <= deps.now();

  /** Refreshes unless `stillNeeded` says someone else already did while this caller waited for the lock. */
  function refreshed(server: string, stillNeeded: (grant: Grant) => boolean): Promise<SignIn> {
    return deps.exclusive(async () => {
      const current = await deps.store.read(server);
      if (!current || current.ended) throw signInNeeded();
      if (!stillNeeded(current.grant)) return current;
      let grant: Grant;
      try {
        grant = await deps.refresh(current.grant);
      } catch (error) {
        if (!(error instanceof GleanError && error.code === 'sign-in-needed')) throw error;
        await deps.store.markEnded(server);
        const back = (await deps.ended(server)) ? await deps.store.read(server) : undefined;
        if (back && !back.ended) return back;
        throw error;
      }
      const next = { ...current, grant };
      await deps.store.write(next);
      return next;
    });
  }

  return {
    /** The sign-in for `server` with a usable access token; undefined when nobody signed in to it. */
    async access(server: string): Promise<SignIn | undefined> {
      const current = await deps.store.read(server);
      if (!current) return undefined;
      if (current.ended) throw signInNeeded();
      return due(current.grant) ? refreshed(server, due) : current;
    },

    /** After Glean refused `rejectedToken`: a renewed sign-in, or the one another caller renewed meanwhile. */
    renew(server: string, rejectedToken: string): Promise<SignIn> {
      return refreshed(server, (grant) => grant.accessToken === rejectedToken || due(grant));
    },
  };
}

export type SignInSession = ReturnType<typeof createSignInSession>;

/**
 * Signing in and out, as the Options page and the popup ask for it: the plan from settings and policy,
 * the flow (oauthFlow.ts), and the result stored (signInStore.ts). Always run by the worker: a flow a
 * page started would die with the page.
 */
import { t } from '../../shared/i18n.ts';
import type { Policy } from '../policy.ts';
import type { Settings } from '../settings.ts';
import { revoke, signIn, type FlowDeps, type SignInPlan } from './oauthFlow.ts';
import { SignInError } from './signInError.ts';
import type { SignInStore } from './signInStore.ts';

/** Refresh tokens need it (Glean's docs; OpenID Connect Core §11), whatever else an administrator asks for. */
const OFFLINE_ACCESS = 'offline_access';

export interface SignInServiceDeps {
  settings: Pick<Settings, 'saveServer' | 'signInPlan'>;
  store: SignInStore;
  flow: FlowDeps;
  /** Credentials changed: uploads waiting for a sign-in go on, the cache and the badge follow. */
  changed: () => void;
}

export function planFor(server: string, policy: Policy): SignInPlan {
  if (policy.signInMethod === 'token') throw new SignInError(t('signInNotAllowed'));
  const scopes = (defaults: string[]) => [...new Set([...(policy.oauthScopes ?? defaults), OFFLINE_ACCESS])];
  if (policy.signInMethod === 'idp' || (policy.signInMethod === undefined && policy.idpIssuer && policy.idpClientId)) {
    // OpenID providers such as Okta and Entra ID give refresh tokens only with `openid` as well.
    return { server, method: 'idp', idpIssuer: policy.idpIssuer ?? '', clientId: policy.idpClientId ?? '', scopes: scopes(['openid']) };
  }
  return { server, method: 'glean', ...(policy.oauthClientId ? { clientId: policy.oauthClientId } : {}), scopes: scopes([]) };
}

export function createSignInService({ settings, store, flow, changed }: SignInServiceDeps) {
  async function run(interactive: boolean): Promise<void> {
    const { server, policy } = await settings.signInPlan();
    const plan = planFor(server, policy);
    const grant = await signIn(plan, flow, { interactive });
    // Signing in again to the same server the same way is the same person coming back: their waiting
    // uploads go on. After a sign-out, a sign-in is someone new.
    const previous = await store.status();
    const same = previous !== undefined && previous.server === server && previous.method === plan.method;
    await store.write({ server, method: plan.method, identity: same ? previous.identity : crypto.randomUUID(), ended: false, grant });
    changed();
  }

  return {
    /** "Sign in with Glean": saves the instance as typed, then signs in with the sign-in window. */
    async start(instance: string): Promise<void> {
      await settings.saveServer(instance);
      await run(true);
    },

    /** A sign-in without a window (the server remembers the person): true when it worked. */
    async silently(): Promise<boolean> {
      return run(false).then(
        () => true,
        () => false,
      );
    },

    /** Forgets the sign-in; the server is asked to revoke its refresh token, where it can be. */
    async signOut(): Promise<void> {
      const status = await store.status();
      const current = status && (await store.read(status.server));
      await store.clear();
      changed();
      if (current) await revoke(current.grant, flow.http).catch(() => undefined);
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;

/**
 * Settings, and the only module that may read or write the API token (an ESLint rule enforces it).
 * Everything is read from storage on demand: the worker may be stopped between any two events.
 * Credentials are bound to their server: the token is sealed for it (tokenSeal.ts), and a change of
 * server drops the token and the sign-in.
 */
import type { GleanConnection } from '../glean/client.ts';
import { GleanError } from '../glean/gleanError.ts';
import { parseActAs, parseInstance } from '../glean/instance.ts';
import { checkMetadata } from '../shared/metadataCheck.ts';
import type { ImageMetadata } from '../shared/imageMetadata.ts';
import type { SettingsInput, SettingsView } from '../shared/messages.ts';
import type { JobBinding } from '../shared/uploadJob.ts';
import { t } from '../shared/i18n.ts';
import { InvalidInput } from './invalidInput.ts';
import { instanceProblemMessage } from '../shared/instanceProblems.ts';
import type { Policy, PolicyReading } from './policy.ts';
import type { ReadPolicy, WhenUnread } from './policySource.ts';
import type { SignInStatus } from './signIn/signInStore.ts';
import { shortDigest } from './digest.ts';
import { migrateSettings, SETTINGS_VERSION, type StoredSettings } from './storedSettings.ts';
import type { TokenSeal } from './tokenSeal.ts';

const SETTINGS_KEY = 'settings';
const TOKEN_KEY = 'gleanApiToken';

/** The slice of `browser.storage.StorageArea` this module needs, so tests can pass a fake. */
export interface KeyValueArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** A connection and the non-secret name of whose it is (jobs and cached images are filed under it). */
export type Connection = GleanConnection & { identity: string };

/** The sign-in as settings need it (src/worker/signIn/): its status, a fresh access token, forgetting it. */
export interface SignInAccess {
  status(): Promise<SignInStatus | undefined>;
  /** A usable access token for `server`; undefined when nobody signed in to it; throws when the sign-in ended. */
  access(server: string): Promise<{ grant: { accessToken: string }; identity: string } | undefined>;
  clear(): Promise<void>;
}

export interface SettingsDeps {
  local: KeyValueArea;
  /**
   * Enterprise policy, read and checked (policy.ts); `{ ok: true, policy: {} }` where none is set.
   * Never waits on `storage.managed` (policySource.ts); with no reading ever made, 'wait' waits for
   * the first and 'skip' gets undefined.
   */
  readPolicy: ReadPolicy;
  /** The token is stored sealed: every page hears of `storage.local` changes (see tokenSeal.ts). */
  seal: TokenSeal;
  signIn: SignInAccess;
  /** `identity.getRedirectURL()`. */
  redirectUrl: string;
}

const TOKEN_HINT_LENGTH = 4;

type Effective = StoredSettings & { policy: Policy; policyInvalid: boolean };

export function createSettings({ local, readPolicy, seal, signIn, redirectUrl }: SettingsDeps) {
  async function readStored(): Promise<StoredSettings> {
    const { [SETTINGS_KEY]: stored } = await local.get(SETTINGS_KEY);
    const settings = migrateSettings(stored);
    // Validated again when read: a server that is not what its instance parses to is no server.
    const parsed = parseInstance(settings.instance);
    return parsed.ok && parsed.baseUrl === settings.baseUrl ? settings : { ...settings, baseUrl: '' };
  }

  async function readToken(server: string): Promise<string> {
    if (!server) return '';
    const { [TOKEN_KEY]: stored } = await local.get(TOKEN_KEY);
    return seal.unseal(stored, server);
  }

  async function policy(whenUnread: WhenUnread): Promise<PolicyReading> {
    try {
      // Skipped only for showing and saving, never for sending: nothing read yet shows as no policy
      // until the reading comes (the Options page then shows it).
      return (await readPolicy(whenUnread)) ?? { ok: true, policy: {} };
    } catch {
      // Firefox without enterprise policies rejects: no policy.
      return { ok: true, policy: {} };
    }
  }

  /**
   * Stored settings with policy values applied: an administrator's choice wins over the user's.
   * `whenUnread`: 'wait' for anything that sends (a credential, a request), 'skip' only to show or save.
   */
  async function effective(whenUnread: WhenUnread): Promise<Effective> {
    const [stored, reading] = await Promise.all([readStored(), policy(whenUnread)]);
    if (!reading.ok) return { ...stored, policy: {}, policyInvalid: true };
    const { policy: managed } = reading;
    return {
      ...stored,
      ...(managed.server ? { instance: managed.server.instance, baseUrl: managed.server.baseUrl } : {}),
      ...(managed.authType !== undefined ? { authType: managed.authType } : {}),
      ...(managed.defaults ? { defaults: managed.defaults } : {}),
      policy: managed,
      policyInvalid: false,
    };
  }

  /** Settings to send with: nothing is sent while the policy is invalid. */
  async function policyChecked(): Promise<Effective> {
    const settings = await effective('wait');
    if (settings.policyInvalid) throw new GleanError('policy-invalid', 'The enterprise policy is invalid.');
    return settings;
  }

  /** Settings to send with, to a server. */
  async function forSending(): Promise<Effective> {
    const settings = await policyChecked();
    if (!settings.baseUrl) throw new GleanError('not-configured', 'Glean is not set up yet.');
    return settings;
  }

  /**
   * The credential requests use: the sign-in where one is allowed and made, else the API token.
   * `fresh`: with a usable access token (refreshed when due); 'whose': only whose it is; 'whose, ended
   * too': also for a sign-in that ended (the person who will sign in again, whose uploads are shown).
   */
  async function credential(settings: Effective, fresh: boolean | 'ended too'): Promise<Omit<Connection, 'baseUrl' | 'actAs'> | undefined> {
    const allowed = settings.policy.signInMethod;
    if (allowed !== 'token') {
      const status = await signIn.status();
      if (status?.server === settings.baseUrl) {
        const authType = status.method === 'idp' ? { authType: 'OAUTH' as const } : {};
        if (fresh !== true) return status.ended && fresh !== 'ended too' ? undefined : { token: '', identity: status.identity, ...authType };
        const signedIn = await signIn.access(settings.baseUrl);
        if (signedIn) return { token: signedIn.grant.accessToken, identity: signedIn.identity, ...authType };
      }
    }
    if (allowed !== undefined && allowed !== 'token') return undefined;
    const token = await readToken(settings.baseUrl);
    if (!token) return undefined;
    return { token, identity: `token ${await shortDigest(token)}`, ...(settings.authType === 'OAUTH' ? { authType: 'OAUTH' as const } : {}) };
  }

  async function view(): Promise<SettingsView> {
    const settings = await effective('skip');
    const [token, status, person] = await Promise.all([readToken(settings.baseUrl), signIn.status(), whoseIn(settings, true)]);
    const signedIn = status?.server === settings.baseUrl ? status : undefined;
    return {
      instance: settings.instance,
      baseUrl: settings.baseUrl,
      tokenHint: token ? token.slice(-TOKEN_HINT_LENGTH) : null,
      actAs: settings.actAs,
      authType: settings.authType,
      defaults: settings.defaults,
      managed: {
        instance: settings.policy.server !== undefined,
        authType: settings.policy.authType !== undefined,
        defaults: settings.policy.defaults !== undefined,
        cacheSize: settings.policy.cacheMegabytes !== undefined,
        signInMethod: settings.policy.signInMethod ?? null,
        invalid: settings.policyInvalid,
      },
      signIn: signedIn ? { host: new URL(signedIn.server).host, method: signedIn.method, ended: signedIn.ended } : null,
      // Whose credential requests use now: the person's, unless their sign-in ended.
      ready: person !== null && !signedIn?.ended,
      identity: person?.identity ?? null,
      redirectUrl,
    };
  }

  /** Validates and stores the person's settings; a change of server drops the credentials of the old one. */
  async function save(input: SettingsInput): Promise<SettingsView> {
    // Saving never waits for the policy: what is stored cannot override it (effective() applies it on
    // every read), and a token is sealed for the server it is saved with, so it can only go there.
    const current = await effective('skip');
    const instance = current.policy.server ? current.instance : input.instance.trim();
    const parsed = parseInstance(instance);
    if (!parsed.ok) throw new InvalidInput(instanceProblemMessage(parsed.problem));
    const actAs = parseActAs(input.actAs);
    if (!actAs.ok) throw new InvalidInput(t('settingsActAsInvalid'));
    const token = input.token?.trim();
    if (token !== undefined && token !== '' && !/^[\x21-\x7e]+$/.test(token)) {
      throw new InvalidInput(t('settingsTokenInvalid'));
    }
    const defaults = current.policy.defaults ? { ok: true as const, metadata: current.defaults } : checkMetadata(input.defaults, { typeRequired: false });
    if (!defaults.ok) throw new InvalidInput(defaults.message);
    const next: StoredSettings = {
      version: SETTINGS_VERSION,
      instance,
      baseUrl: parsed.baseUrl,
      actAs: actAs.actAs ?? '',
      authType: current.policy.authType !== undefined ? current.authType : input.authType === 'OAUTH' ? 'OAUTH' : '',
      defaults: defaults.metadata,
    };
    await forgetCredentialsUnlessFor(parsed.baseUrl);
    await local.set(token ? { [SETTINGS_KEY]: next, [TOKEN_KEY]: await seal.seal(token, parsed.baseUrl) } : { [SETTINGS_KEY]: next });
    return view();
  }

  /** Saves only the server, as "Sign in with Glean" does with what was typed; the base URL it names. */
  async function saveServer(instance: string): Promise<string> {
    const current = await policyChecked();
    if (current.policy.server) return current.policy.server.baseUrl;
    const parsed = parseInstance(instance.trim());
    if (!parsed.ok) throw new InvalidInput(instanceProblemMessage(parsed.problem));
    await forgetCredentialsUnlessFor(parsed.baseUrl);
    const stored = await readStored();
    await local.set({ [SETTINGS_KEY]: { ...stored, instance: instance.trim(), baseUrl: parsed.baseUrl } });
    return parsed.baseUrl;
  }

  /** A credential is never carried to another server: the old server's token and sign-in go. */
  async function forgetCredentialsUnlessFor(server: string): Promise<void> {
    const stored = await readStored();
    if (stored.baseUrl && stored.baseUrl !== server) {
      await Promise.all([local.remove(TOKEN_KEY), signIn.clear()]);
    }
  }

  /**
   * A token that an older version stored as text, or sealed without its server, is sealed for the
   * saved server. Run at install and update, when no page is likely open: this one change still
   * announces the old value to any page that is.
   */
  async function sealStoredToken(): Promise<void> {
    const [{ [TOKEN_KEY]: stored }, settings] = await Promise.all([local.get(TOKEN_KEY), readStored()]);
    const legacy = typeof stored === 'string' || (typeof stored === 'object' && stored !== null && !('server' in stored));
    if (!legacy || !settings.baseUrl) return;
    const token = await seal.unseal(stored, settings.baseUrl);
    if (token) await local.set({ [TOKEN_KEY]: await seal.seal(token, settings.baseUrl) });
  }

  async function removeToken(): Promise<SettingsView> {
    await local.remove(TOKEN_KEY);
    return view();
  }

  /** The connection for one request. Throws `not-configured` when the server or credential is missing. */
  async function connection(): Promise<Connection> {
    const settings = await forSending();
    const found = await credential(settings, true);
    if (!found) throw new GleanError('not-configured', 'No API token or sign-in for this server.');
    return { baseUrl: settings.baseUrl, ...found, identity: await identify(settings, found), ...(settings.actAs ? { actAs: settings.actAs } : {}) };
  }

  /** Whose credential requests would use now, without refreshing anything; null when there is none. */
  async function whose(endedToo: boolean = false): Promise<JobBinding | null> {
    return whoseIn(await effective('wait'), endedToo);
  }

  async function whoseIn(settings: Effective, endedToo: boolean = false): Promise<JobBinding | null> {
    if (settings.policyInvalid || !settings.baseUrl) return null;
    const found = await credential(settings, endedToo ? 'ended too' : false);
    return found ? { server: settings.baseUrl, identity: await identify(settings, found) } : null;
  }

  /** What signing in needs from settings and policy: the server, and which way in. */
  async function signInPlan(): Promise<{ server: string; policy: Policy }> {
    const settings = await forSending();
    return { server: settings.baseUrl, policy: settings.policy };
  }

  /** The metadata a right-click upload goes with: the person's defaults, or the administrator's. */
  async function uploadDefaults(): Promise<ImageMetadata> {
    return (await effective('wait')).defaults;
  }

  /** The image cache size an administrator set, if any. */
  async function managedCacheMegabytes(): Promise<number | undefined> {
    return (await effective('wait')).policy.cacheMegabytes;
  }

  return { view, save, saveServer, removeToken, connection, whose, signInPlan, sealStoredToken, uploadDefaults, managedCacheMegabytes };
}

export type Settings = ReturnType<typeof createSettings>;

/** Who requests are made as: the credential's own identity, the act-as user and the auth type, in one non-secret name. */
function identify(settings: StoredSettings, credential: Pick<Connection, 'identity' | 'authType'>): Promise<string> {
  return shortDigest([credential.identity, settings.actAs, credential.authType ?? ''].join('\n'));
}

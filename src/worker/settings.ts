/**
 * Settings, and the only module that may read or write the API token (an ESLint rule enforces it).
 * Everything is read from storage on demand: the worker may be stopped between any two events.
 */
import type { GleanConnection } from '../glean/client.ts';
import { GleanError } from '../glean/gleanError.ts';
import { parseActAs, parseInstance } from '../glean/instance.ts';
import { isImageType, type ImageMetadata } from '../shared/imageMetadata.ts';
import type { AuthType, SettingsInput, SettingsView } from '../shared/messages.ts';
import { t } from '../shared/i18n.ts';
import { InvalidInput } from './invalidInput.ts';
import { instanceProblemMessage } from '../shared/instanceProblems.ts';
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

export interface ManagedPolicy {
  instance?: string;
  authType?: AuthType;
}

export interface SettingsDeps {
  local: KeyValueArea;
  /** Enterprise policy (`storage.managed`); rejects or answers {} where none is set. */
  readPolicy: () => Promise<ManagedPolicy>;
  /** The token is stored sealed: every page hears of `storage.local` changes (see tokenSeal.ts). */
  seal: TokenSeal;
}

const TOKEN_HINT_LENGTH = 4;

export function createSettings({ local, readPolicy, seal }: SettingsDeps) {
  async function readStored(): Promise<StoredSettings> {
    const { [SETTINGS_KEY]: stored } = await local.get(SETTINGS_KEY);
    return migrateSettings(stored);
  }

  async function readToken(): Promise<string> {
    const { [TOKEN_KEY]: stored } = await local.get(TOKEN_KEY);
    return seal.unseal(stored);
  }

  async function policy(): Promise<ManagedPolicy> {
    try {
      return await readPolicy();
    } catch {
      return {};
    }
  }

  /** Stored settings with policy values applied: an administrator's choice wins over the user's. */
  async function effective(): Promise<StoredSettings & { managed: SettingsView['managed'] }> {
    const [stored, managed] = await Promise.all([readStored(), policy()]);
    const result = { ...stored, managed: { instance: false, authType: false } };
    if (managed.instance) {
      const parsed = parseInstance(managed.instance);
      if (parsed.ok) {
        Object.assign(result, { instance: managed.instance, baseUrl: parsed.baseUrl });
        result.managed.instance = true;
      }
    }
    if (managed.authType !== undefined) {
      result.authType = managed.authType;
      result.managed.authType = true;
    }
    return result;
  }

  async function view(): Promise<SettingsView> {
    const [settings, token] = await Promise.all([effective(), readToken()]);
    return {
      instance: settings.instance,
      baseUrl: settings.baseUrl,
      tokenHint: token ? token.slice(-TOKEN_HINT_LENGTH) : null,
      actAs: settings.actAs,
      authType: settings.authType,
      defaults: settings.defaults,
      managed: settings.managed,
    };
  }

  async function save(input: SettingsInput): Promise<SettingsView> {
    const current = await effective();
    const instance = current.managed.instance ? current.instance : input.instance.trim();
    const parsed = parseInstance(instance);
    if (!parsed.ok) throw new InvalidInput(instanceProblemMessage(parsed.problem));
    const actAs = parseActAs(input.actAs);
    if (!actAs.ok) throw new InvalidInput(t('settingsActAsInvalid'));
    const token = input.token?.trim();
    if (token !== undefined && token !== '' && !/^[\x21-\x7e]+$/.test(token)) {
      throw new InvalidInput(t('settingsTokenInvalid'));
    }
    const next: StoredSettings = {
      version: SETTINGS_VERSION,
      instance,
      baseUrl: parsed.baseUrl,
      actAs: actAs.actAs ?? '',
      authType: current.managed.authType ? current.authType : input.authType === 'OAUTH' ? 'OAUTH' : '',
      defaults: cleanDefaults(input.defaults),
    };
    await local.set(token ? { [SETTINGS_KEY]: next, [TOKEN_KEY]: await seal.seal(token) } : { [SETTINGS_KEY]: next });
    return view();
  }

  /**
   * A token that a version before sealing stored as text is sealed. Run at install and update, when
   * no page is likely open: this one change still announces the old text to any page that is.
   */
  async function sealStoredToken(): Promise<void> {
    const { [TOKEN_KEY]: stored } = await local.get(TOKEN_KEY);
    if (typeof stored === 'string' && stored !== '') await local.set({ [TOKEN_KEY]: await seal.seal(stored) });
  }

  async function removeToken(): Promise<SettingsView> {
    await local.remove(TOKEN_KEY);
    return view();
  }

  /** The connection for one request. Throws `not-configured` when the server or token is missing. */
  async function connection(): Promise<GleanConnection> {
    const [settings, token] = await Promise.all([effective(), readToken()]);
    if (!settings.baseUrl || !token) {
      throw new GleanError('not-configured', 'Glean is not set up yet.');
    }
    return {
      baseUrl: settings.baseUrl,
      token,
      ...(settings.actAs ? { actAs: settings.actAs } : {}),
      ...(settings.authType === 'OAUTH' ? { authType: 'OAUTH' as const } : {}),
    };
  }

  return { view, save, removeToken, connection, sealStoredToken };
}

export type Settings = ReturnType<typeof createSettings>;

function cleanDefaults(defaults: ImageMetadata): ImageMetadata {
  const type = defaults.type ?? '';
  return {
    type: isImageType(type) ? type : '',
    id: (defaults.id ?? '').trim(),
    ds: (defaults.ds ?? '').trim(),
    cid: (defaults.cid ?? '').trim(),
  };
}

/**
 * The settings record as stored in `storage.local`, with its schema version and the migrations that
 * bring any older layout up to date. Pure: the settings module does the reading and writing.
 */
import { type ImageMetadata, isImageType } from '../shared/imageMetadata.ts';
import type { AuthType } from '../shared/messages.ts';
import { isRecord } from '../shared/isRecord.ts';

export const SETTINGS_VERSION = 2;

export interface StoredSettings {
  version: typeof SETTINGS_VERSION;
  /** What the person typed (an instance name or a URL), shown back as typed. */
  instance: string;
  /** The normalised server, such as https://acme-prod-be.glean.com. Empty until saved. */
  baseUrl: string;
  actAs: string;
  authType: AuthType;
  /** Metadata for right-click uploads. */
  defaults: ImageMetadata;
}

export const EMPTY_SETTINGS: StoredSettings = {
  version: SETTINGS_VERSION,
  instance: '',
  baseUrl: '',
  actAs: '',
  authType: '',
  defaults: {},
};

type Raw = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Version 1 (the first release) kept the server as `server` and act-as as `actAsEmail`, and had no
 * right-click defaults. A record without a version is treated as version 1.
 */
function fromVersion1(raw: Raw): Raw {
  return {
    version: 2,
    instance: text(raw.server),
    baseUrl: text(raw.serverUrl),
    actAs: text(raw.actAsEmail),
    authType: raw.authType === 'OAUTH' ? 'OAUTH' : '',
    defaults: {},
  };
}

function readDefaults(value: unknown): ImageMetadata {
  if (!isRecord(value)) return {};
  const type = text(value.type);
  return { type: isImageType(type) ? type : '', id: text(value.id), ds: text(value.ds), cid: text(value.cid) };
}

/** Brings a stored value of any known version to the current one; unknown shapes become empty settings. */
export function migrateSettings(stored: unknown): StoredSettings {
  if (!isRecord(stored)) return { ...EMPTY_SETTINGS };
  const version = typeof stored.version === 'number' ? stored.version : 1;
  // Each older version gets its step up here; there is one so far.
  if (version < SETTINGS_VERSION && version !== 1) return { ...EMPTY_SETTINGS };
  const raw = version === 1 ? fromVersion1(stored) : stored;
  return {
    version: SETTINGS_VERSION,
    instance: text(raw.instance),
    baseUrl: text(raw.baseUrl),
    actAs: text(raw.actAs),
    authType: raw.authType === 'OAUTH' ? 'OAUTH' : '',
    defaults: readDefaults(raw.defaults),
  };
}

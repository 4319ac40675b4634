/**
 * The one message contract between the extension's pages and its worker. Each request type maps to
 * its payload and its answer; errors travel as data and are rethrown as `RequestFailed` by `ask`.
 * Bytes never travel here (Chrome serialises messages as JSON): pages fetch images by address
 * (`fetchImage` in src/shared/ask.ts), and give files to uploads through IndexedDB by id.
 */
import type { GleanErrorCode } from '../glean/gleanError.ts';
import type { ImageMetadata } from './imageMetadata.ts';
import type { UploadJob } from './uploadJob.ts';

export type AuthType = '' | 'OAUTH';

/** The ways in: signing in with Glean, signing in with the company's identity provider, a pasted API token. */
export type SignInChoice = 'glean' | 'idp' | 'token';

/** What the options page may send. `token` is write-only: undefined keeps the saved one. */
export interface SettingsInput {
  instance: string;
  token?: string;
  actAs: string;
  authType: AuthType;
  defaults: ImageMetadata;
}

/** Settings as pages see them: never the token itself, only whether one is saved and its last four. */
export interface SettingsView {
  instance: string;
  baseUrl: string;
  tokenHint: string | null;
  actAs: string;
  authType: AuthType;
  defaults: ImageMetadata;
  /** Fields an administrator set by enterprise policy: shown read-only. */
  managed: {
    instance: boolean;
    authType: boolean;
    defaults: boolean;
    cacheSize: boolean;
    /** The only way in the administrator allows; null: any. */
    signInMethod: SignInChoice | null;
    /** The policy has a value that does not hold: nothing is sent until it is fixed. */
    invalid: boolean;
  };
  /** The person's sign-in, if any: to which server, and whether it ended (they must sign in again). */
  signIn: { host: string; method: 'glean' | 'idp'; ended: boolean } | null;
  /** Whether requests can be made now: a server and a usable credential for it. */
  ready: boolean;
  /** Names whose uploads to show (no secret in it), a sign-in that ended included; null without a credential. */
  identity: string | null;
  /** `identity.getRedirectURL()`: what an administrator allows in Glean's OAuth settings. */
  redirectUrl: string;
}

export type ConnectionVerdict = 'ok' | 'token-rejected' | 'not-permitted' | 'unreachable' | 'no-access' | 'not-configured' | 'unexpected';

export interface ConnectionReport {
  verdict: ConnectionVerdict;
  message: string;
  status?: number;
}

/** The worker's answer to an image address, for Firefox only (see `fetchImage` in src/shared/ask.ts). */
export interface ServedImage {
  status: number;
  headers: Record<string, string>;
  /** A `blob:` URL of the extension's origin holding the body, fetched by the page (src/worker/serveImageByMessage.ts). */
  bodyUrl: string;
}

/**
 * The worker's answer to an image address a page asked over a port because the worker does not control
 * it (see `fetchImage` in src/shared/ask.ts, src/worker/serveImageByPort.ts). The body goes as a Blob,
 * which a port passes by reference, never as bytes in an extension message.
 */
export interface ImageOverPort {
  status: number;
  headers: Record<string, string>;
  body: Blob;
}

/** What the image cache holds, for the options page. */
export interface CacheStats {
  entries: number;
  bytes: number;
  budgetBytes: number;
}

export interface Protocol {
  'settings/get': { payload: null; answer: SettingsView };
  'settings/save': { payload: SettingsInput; answer: SettingsView };
  'settings/removeToken': { payload: null; answer: SettingsView };
  'connection/test': { payload: null; answer: ConnectionReport };
  /** Saves `instance` as typed, then runs the whole sign-in in the worker (a page may close meanwhile). */
  'signIn/start': { payload: { instance: string }; answer: SettingsView };
  'signIn/signOut': { payload: null; answer: SettingsView };
  /**
   * Firefox only: an image address (src/shared/imageAddress.ts) answered as the Chrome worker's fetch
   * handler would, its body left under a `blob:` URL for the page to fetch (src/worker/serveImageByMessage.ts).
   */
  'image/serve': { payload: { address: string }; answer: ServedImage };
  'cache/stats': { payload: null; answer: CacheStats };
  'cache/clear': { payload: null; answer: CacheStats };
  'cache/setBudget': { payload: { megabytes: number }; answer: CacheStats };
  /** The page has put the file's Blob in the upload store under `jobId`; the worker takes it from there. */
  'upload/start': { payload: { jobId: string; metadata: ImageMetadata; fileName: string }; answer: UploadJob };
  'upload/retry': { payload: { jobId: string }; answer: UploadJob | null };
  'upload/remove': { payload: { jobId: string }; answer: null };
  /** An image's address pasted into the popup: the worker reads it (host access asked from the click) and keeps it pending. */
  'link/fetch': { payload: { url: string }; answer: { fileName: string } };
}

export type RequestType = keyof Protocol;
export type PayloadOf<K extends RequestType> = Protocol[K]['payload'];
export type AnswerOf<K extends RequestType> = Protocol[K]['answer'];

export interface Request<K extends RequestType = RequestType> {
  type: K;
  payload: PayloadOf<K>;
}

/** Glean's own failures, plus the extension's: bad input, a refused sender or permission, a full disk, a bug. */
export type ErrorCode = GleanErrorCode | 'invalid-input' | 'refused' | 'storage-full' | 'sign-in' | 'unexpected';

export interface ReplyError {
  code: ErrorCode;
  /** Says what happened and what to do, ready to show. Never contains the token. */
  message: string;
  status?: number;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ReplyError };

/** Where pages ask the worker for an image, by address (src/shared/imageAddress.ts), instead of by message. */
export const IMAGE_PATH = '/glean/image';

/** The response header with what the page shows beside the image, as JSON (`ImageFacts` in src/shared/ask.ts). */
export const IMAGE_FACTS_HEADER = 'x-glean-image';

/** The name of the port a page opens to tie its lookups' lifetime to its own. */
export const SESSION_PORT_PREFIX = 'session:';

/**
 * The `storage.local` key under which the worker keeps its last reading of the enterprise policy
 * (src/worker/policySource.ts). The Options page listens to changes of it to show a policy that
 * arrives while it is open.
 */
export const POLICY_KEPT_KEY = 'managedPolicyKept';

/** 'cache/setBudget' takes whole megabytes ("Cache size (MB)" in Options, or the policy's `cacheMegabytes`) in this range. */
export const BYTES_PER_MB = 1024 * 1024;
/** Below 1 MB the cache could not hold even a handful of thumbnails. */
export const MIN_BUDGET_MB = 1;
/** Far below what browsers grant an extension origin (a share of the disk), yet plenty for thumbnails. */
export const MAX_BUDGET_MB = 2048;

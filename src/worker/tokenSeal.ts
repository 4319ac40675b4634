/**
 * The API token at rest: sealed with AES-GCM under a key the extension makes once and keeps in its
 * IndexedDB as a non-extractable CryptoKey.
 *
 * Why: the browser announces every `storage.local` change, old and new value, to every extension page
 * with a `storage.onChanged` listener (the popup and options page have them, for other keys), so a
 * token stored as text reached the pages each time it was saved or removed; and a copy of the
 * profile's storage held it in the clear. Sealed, both carry only ciphertext. Code running inside
 * the extension can still use the key: this keeps the token out of places it would otherwise reach
 * by accident, and is no defence against the extension's own code.
 */
import { createStore, get, set } from 'idb-keyval';
import { logWarning } from '../shared/logFailure.ts';

/** What `storage.local` holds in place of the token. */
export interface SealedToken {
  /** AES-GCM's 96-bit nonce, base64. */
  iv: string;
  /** Ciphertext and tag, base64. */
  sealed: string;
  /**
   * The Glean server the secret belongs to, also sealed in as AES-GCM additional data: a secret only
   * unseals for the server it was given for, so no later change of server can carry it elsewhere.
   * Absent on what versions before the binding stored (sealStoredToken binds those on update).
   */
  server?: string;
}

/** Where the key lives; in memory for unit tests. */
export interface KeyHolder {
  read(): Promise<CryptoKey | undefined>;
  write(key: CryptoKey): Promise<void>;
}

export interface TokenSeal {
  /** Seals `secret` for `server`. */
  seal(secret: string, server: string): Promise<SealedToken>;
  /**
   * The secret from what storage holds, for `server`: sealed, or text written by a version before
   * sealing. '' when none, when it was sealed for another server, or when the key is gone.
   */
  unseal(stored: unknown, server: string): Promise<string>;
}

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

export function isSealedToken(value: unknown): value is SealedToken {
  if (typeof value !== 'object' || value === null) return false;
  const { iv, sealed, server } = value as SealedToken;
  return typeof iv === 'string' && typeof sealed === 'string' && (server === undefined || typeof server === 'string');
}

const boundTo = (server: string): AesGcmParams['additionalData'] => new TextEncoder().encode(server);

export function createTokenSeal(keys: KeyHolder): TokenSeal {
  let key: Promise<CryptoKey> | undefined;

  /** Made on first use. One promise for all callers: two first uses at once must not make two keys.
   * (Only the worker seals, so no other context races this one.) */
  function sealingKey(): Promise<CryptoKey> {
    key ??= (async () => {
      const kept = await keys.read();
      if (kept) return kept;
      const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      await keys.write(fresh);
      return fresh;
    })();
    // A failure (IndexedDB unavailable a moment) must not stick for the worker's lifetime.
    key.catch(() => (key = undefined));
    return key;
  }

  return {
    async seal(secret, server) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const params: AesGcmParams = { name: 'AES-GCM', iv, additionalData: boundTo(server) };
      const sealed = await crypto.subtle.encrypt(params, await sealingKey(), new TextEncoder().encode(secret));
      return { iv: toBase64(iv), sealed: toBase64(new Uint8Array(sealed)), server };
    },

    async unseal(stored, server) {
      if (typeof stored === 'string') return stored;
      if (!isSealedToken(stored)) return '';
      // Sealed for another server: not even tried, and the person is asked for a new credential.
      if (stored.server !== undefined && stored.server !== server) return '';
      const params: AesGcmParams = { name: 'AES-GCM', iv: fromBase64(stored.iv), ...(stored.server !== undefined ? { additionalData: boundTo(server) } : {}) };
      try {
        const plain = await crypto.subtle.decrypt(params, await sealingKey(), fromBase64(stored.sealed));
        return new TextDecoder().decode(plain);
      } catch (error) {
        // The key was deleted with the extension's site data: the person enters the token again.
        logWarning('the saved API token could not be unsealed', error);
        return '';
      }
    },
  };
}

/** The key in the extension's own IndexedDB. Should it ever be lost (the extension's site data
 * cleared), unseal answers '' and Options asks for the token again: nothing worse happens. */
export function keyInIndexedDb(): KeyHolder {
  const store = createStore('glean-images-keys', 'keys');
  return { read: () => get<CryptoKey>('api-token', store), write: (key) => set('api-token', key, store) };
}

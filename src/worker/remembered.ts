/**
 * What the worker keeps in memory while it lives, because it can always read it again: stored
 * settings and the unsealed token (the enterprise policy is kept by policySource.ts). A cache-miss lookup otherwise spent about
 * 12 ms on storage reads and unsealing before its GET left (issue 14's measurements). Each is dropped
 * when `storage.onChanged` says its key or area changed, and at once on this worker's own writes.
 */
import type { KeyValueArea } from './settings.ts';
import type { TokenSeal } from './tokenSeal.ts';

/** Calls back with the keys that changed in this area (src/worker/services.ts wires `storage.onChanged`). */
export type OnChanged = (listener: (keys: readonly string[]) => void) => void;

export function rememberedArea(area: KeyValueArea, onChanged: OnChanged): KeyValueArea {
  const kept = new Map<string, Promise<Record<string, unknown>>>();
  onChanged((keys) => keys.forEach((key) => kept.delete(key)));
  return {
    get(key) {
      let read = kept.get(key);
      if (!read) {
        read = area.get(key);
        kept.set(key, read);
        read.catch(() => kept.delete(key));
      }
      // A copy of the top level: a caller that changes the answer changes only its own.
      return read.then((items) => ({ ...items }));
    },
    async set(items) {
      // Dropped before and after: a read that starts while the write is under way may see the old value.
      for (const key of Object.keys(items)) kept.delete(key);
      await area.set(items);
      for (const key of Object.keys(items)) kept.delete(key);
    },
    async remove(key) {
      kept.delete(key);
      await area.remove(key);
      kept.delete(key);
    },
  };
}

/** Unseals each stored value once: a changed value is a new object (storage answers copies), so it is unsealed anew. */
export function rememberedSeal(seal: TokenSeal): TokenSeal {
  const unsealed = new WeakMap<object, Map<string, Promise<string>>>();
  return {
    seal: (secret, server) => seal.seal(secret, server),
    unseal(stored, server) {
      if (typeof stored !== 'object' || stored === null) return seal.unseal(stored, server);
      const byServer = unsealed.get(stored) ?? new Map<string, Promise<string>>();
      unsealed.set(stored, byServer);
      let secret = byServer.get(server);
      if (!secret) {
        secret = seal.unseal(stored, server);
        byServer.set(server, secret);
        secret.catch(() => byServer.delete(server));
      }
      return secret;
    },
  };
}

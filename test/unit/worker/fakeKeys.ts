/** The token seal's key held in memory, where the extension keeps it in IndexedDB. */
import type { KeyHolder } from '../../../src/worker/tokenSeal.ts';

export function keyInMemory(): KeyHolder & { forget(): void } {
  let key: CryptoKey | undefined;
  return {
    read: async () => key,
    write: async (fresh) => {
      key = fresh;
    },
    forget: () => (key = undefined),
  };
}

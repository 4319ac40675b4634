/**
 * A non-secret name for "this server, this credential, this act-as user" (settings.ts `whose`).
 * Cached images are filed under it, so another token, another sign-in or another act-as user never
 * sees the previous identity's images, and pages may know it. A sign-in's identity lasts across token
 * refreshes (src/worker/signIn/signInStore.ts), so refreshing keeps the cache.
 */
import type { JobBinding } from '../shared/uploadJob.ts';
import { shortDigest } from './digest.ts';

export function partitionOf({ server, identity }: JobBinding): Promise<string> {
  return shortDigest(`${server}\n${identity}`);
}

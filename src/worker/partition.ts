/**
 * A non-secret name for "this server, this token, this act-as user". Cached images are filed under
 * it, so a token change or another act-as user never sees the previous identity's images, and pages
 * may know it without learning anything about the token (it is a truncated SHA-256).
 */
import type { GleanConnection } from '../glean/client.ts';

export async function partitionOf(conn: GleanConnection): Promise<string> {
  const identity = [conn.baseUrl, conn.token, conn.actAs ?? '', conn.authType ?? ''].join('\n');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(identity));
  return Array.from(new Uint8Array(digest).slice(0, 12), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

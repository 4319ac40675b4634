/**
 * Glean refused an access token (401) that had not expired by its own account: it may have been
 * revoked or rotated elsewhere. For a sign-in, refresh once and try once more (a second 401 stands);
 * an API token is what it is, so its 401 stands at once.
 */
import { GleanError } from '../../glean/gleanError.ts';
import type { Connection } from '../settings.ts';

/** The connection with a renewed access token, or undefined when `rejected` was not a sign-in's. */
export type Renew = (rejected: Connection) => Promise<Connection | undefined>;

export async function renewingOnce<T>(conn: Connection, call: (conn: Connection) => Promise<T>, renew: Renew): Promise<T> {
  try {
    return await call(conn);
  } catch (error) {
    if (!(error instanceof GleanError && error.code === 'unauthorized')) throw error;
    const renewed = await renew(conn);
    if (!renewed) throw error;
    return call(renewed);
  }
}

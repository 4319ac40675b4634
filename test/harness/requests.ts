/** A test's own view of the sandbox's request log: only what arrived after it began. */
import { API_PREFIX } from '../../sandbox/recorder.ts';
import type { RecordedRequest, Sandbox, SandboxOperation } from '../../sandbox/server.ts';

export interface RequestsSince {
  /** The API requests recorded since the mark, in order. */
  all(): RecordedRequest[];
  /** Resolves with them once there are at least `count`. */
  waitFor(count: number, options?: { operation?: SandboxOperation; timeoutMs?: number }): Promise<RecordedRequest[]>;
}

/** Marks the sandbox's log now; the sandbox is shared by a file's tests, and this keeps them apart. */
export function requestsFrom(sandbox: Sandbox): RequestsSince {
  const isApi = (request: RecordedRequest): boolean => request.path.startsWith(API_PREFIX);
  const start = sandbox.requests.length;
  const all = (): RecordedRequest[] => sandbox.requests.slice(start).filter(isApi);
  return {
    all,
    async waitFor(count, options = {}) {
      const before = sandbox.requests.slice(0, start).filter(isApi);
      const earlier = options.operation === undefined ? before.length : before.filter((r) => r.operation === options.operation).length;
      await sandbox.waitForRequests(earlier + count, options);
      return all().filter((r) => options.operation === undefined || r.operation === options.operation);
    },
  };
}

/**
 * Closes every connection the sandbox has open, so the browser's next request opens a new one.
 * Chromium itself resends a request, unseen by the page, when a reused keep-alive connection is
 * reset or answers 408 (it takes either for the server having dropped an idle connection: see
 * HttpNetworkTransaction::DoReadHeadersComplete and ShouldResendRequest in net/http/). A fault test
 * that wants the extension, not the browser, to see the fault must start on a fresh connection.
 */
export async function dropConnections(sandbox: Sandbox): Promise<void> {
  await sandbox.goOffline();
  await sandbox.goOnline();
}

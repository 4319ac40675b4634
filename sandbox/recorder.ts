import type { SandboxOperation } from './faults.ts';

export const API_PREFIX = '/rest/api/v1/';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Repeated parameters are joined with ",". */
  query: Record<string, string>;
  /** Lower-case names, as Node reports them. */
  headers: Record<string, string>;
  bodyBytes: number;
  bodySha256?: string;
  /** 'reset': the socket was destroyed without an answer; 'hang': no answer until the sandbox went offline. */
  status: number | 'reset' | 'hang';
  /** When the request arrived (Date.now()). */
  at: number;
  /** The contract operation the request was aimed at, if any. */
  operation?: SandboxOperation;
}

export interface WaitOptions {
  operation?: SandboxOperation;
  /** Default 5000. */
  timeoutMs?: number;
}

/**
 * Requests are recorded once their outcome is known: when the answer is sent, or at once for reset
 * and hang faults (so a delayed request appears only after its delay).
 */
export class RequestRecorder {
  readonly entries: RecordedRequest[] = [];
  readonly #listeners = new Set<() => void>();

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    for (const listener of [...this.#listeners]) listener();
  }

  /** Resolves with the matching /rest/api/v1/ requests once there are at least `count` of them. */
  waitFor(count: number, { operation, timeoutMs = 5000 }: WaitOptions = {}): Promise<RecordedRequest[]> {
    const matching = (): RecordedRequest[] =>
      this.entries.filter(
        (entry) => entry.path.startsWith(API_PREFIX) && (operation === undefined || entry.operation === operation),
      );
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = matching();
        if (found.length < count) return;
        stop();
        resolve(found);
      };
      const timer = setTimeout(() => {
        stop();
        const what = operation === undefined ? 'API' : operation;
        reject(new Error(`waited ${timeoutMs} ms for ${count} ${what} request(s), saw ${matching().length}`));
      }, timeoutMs);
      const stop = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }
}

import type { ContractViolation } from './contract.ts';
import type { SandboxOperation } from './faults.ts';
import type { Credential } from './oauth/credentials.ts';
import type { OAuthEndpoint } from './oauth/endpoints.ts';

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
  /** Images requests: which credential came (whether or not it was accepted). */
  credential?: Credential;
  /** Requests to the OAuth authorization server: which endpoint, the token endpoint's grant_type, and a form body's fields. */
  oauth?: { endpoint: OAuthEndpoint; grantType?: string; form?: Record<string, string> };
  /** An upload Glean took: the image's URL it answered with (as the extension should show it). */
  uploadedUrl?: string;
  /** How the request broke the contract (it was answered 400, whatever fault was waiting). */
  violations?: ContractViolation[];
}

export interface WaitOptions {
  operation?: SandboxOperation;
  /** Wait for requests to this OAuth endpoint instead of API requests. */
  oauth?: OAuthEndpoint;
  /** With `oauth: 'token'`: only this grant_type ('authorization_code', 'refresh_token'). */
  grantType?: string;
  /** Default 5000. */
  timeoutMs?: number;
}

function describe({ operation, oauth, grantType }: WaitOptions): string {
  if (oauth !== undefined) return `OAuth ${oauth}${grantType === undefined ? '' : ` (${grantType})`}`;
  return operation === undefined ? 'API' : operation;
}

function matches(entry: RecordedRequest, { operation, oauth, grantType }: WaitOptions): boolean {
  if (oauth !== undefined) {
    return entry.oauth?.endpoint === oauth && (grantType === undefined || entry.oauth.grantType === grantType);
  }
  return entry.path.startsWith(API_PREFIX) && (operation === undefined || entry.operation === operation);
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

  /**
   * Resolves with the matching requests once there are at least `count` of them: /rest/api/v1/
   * requests (of one operation), or with `oauth`, requests to that OAuth endpoint.
   */
  waitFor(count: number, options: WaitOptions = {}): Promise<RecordedRequest[]> {
    const { timeoutMs = 5000 } = options;
    const matching = (): RecordedRequest[] => this.entries.filter((entry) => matches(entry, options));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = matching();
        if (found.length < count) return;
        stop();
        resolve(found);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`waited ${timeoutMs} ms for ${count} ${describe(options)} request(s), saw ${matching().length}`));
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

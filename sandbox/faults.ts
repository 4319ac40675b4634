import { OAUTH_ENDPOINTS, isOAuthEndpoint, type OAuthEndpoint } from './oauth/endpoints.ts';

/** The operationIds the sandbox implements; the contract is checked against this list at start. */
export const SANDBOX_OPERATIONS = ['images', 'uploadimage'] as const;
export type SandboxOperation = (typeof SANDBOX_OPERATIONS)[number];

export function isSandboxOperation(value: unknown): value is SandboxOperation {
  return SANDBOX_OPERATIONS.some((operation) => operation === value);
}

/** What a fault can be aimed at: an images operation, or an endpoint of the OAuth authorization server. */
export type FaultTarget = SandboxOperation | OAuthEndpoint;

export function isFaultTarget(value: unknown): value is FaultTarget {
  return isSandboxOperation(value) || isOAuthEndpoint(value);
}

interface FaultScope {
  /** How many matching requests the fault applies to (default 1). */
  times?: number;
  /**
   * Only requests of this operation or OAuth endpoint match; absent = every request under
   * /rest/api/v1/ (never an OAuth request: those see only faults that name their endpoint).
   */
  operation?: FaultTarget;
}

export interface StatusFault extends FaultScope {
  status: number;
  /** Sent verbatim as Retry-After: delta-seconds or an HTTP date. */
  retryAfter?: string;
  /** Sent as retry-after-ms, which the Glean TypeScript SDK honours. */
  retryAfterMs?: number;
  body?: string;
  /** Defaults to text/plain when a body is given. */
  contentType?: string;
}

export interface DelayFault extends FaultScope {
  /** Answer normally, but only after this long. */
  delayMs: number;
}

export interface ResetFault extends FaultScope {
  reset: true;
}

export interface HangFault extends FaultScope {
  hang: true;
}

export type Fault = StatusFault | DelayFault | ResetFault | HangFault;

interface Pending {
  fault: Fault;
  remaining: number;
}

/** Faults wait in the order they were added; a request consumes one use of the first that matches it. */
export class FaultQueue {
  #pending: Pending[] = [];

  add(fault: Fault): void {
    const remaining = fault.times ?? 1;
    if (!Number.isInteger(remaining) || remaining < 1) {
      throw new RangeError(`fault.times must be a positive integer, got ${String(fault.times)}`);
    }
    this.#pending.push({ fault, remaining });
  }

  clear(): void {
    this.#pending = [];
  }

  /** `explicitOnly`: only a fault that names `target` matches (for OAuth requests). */
  take(target: FaultTarget | undefined, explicitOnly = false): Fault | undefined {
    const index = this.#pending.findIndex(({ fault }) =>
      fault.operation === undefined ? !explicitOnly : fault.operation === target,
    );
    const match = this.#pending[index];
    if (!match) return undefined;
    match.remaining -= 1;
    if (match.remaining === 0) this.#pending.splice(index, 1);
    return match.fault;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional<T>(
  input: Record<string, unknown>,
  name: string,
  check: (value: unknown) => value is T,
  expected: string,
): T | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (!check(value)) throw new TypeError(`fault.${name} must be ${expected}`);
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1;
const isNonNegative = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isStatus = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
const isTrue = (value: unknown): value is true => value === true;

/** Turns untrusted JSON (the HTTP control endpoint) into a Fault, or throws a TypeError saying what is wrong. */
export function parseFault(input: unknown): Fault {
  if (!isRecord(input)) throw new TypeError('a fault must be a JSON object');
  const scope: FaultScope = {
    times: optional(input, 'times', isPositiveInteger, 'a positive integer'),
    operation: optional(input, 'operation', isFaultTarget, `one of ${[...SANDBOX_OPERATIONS, ...OAUTH_ENDPOINTS].join(', ')}`),
  };
  const status = optional(input, 'status', isStatus, 'an HTTP status code (100-599)');
  const delayMs = optional(input, 'delayMs', isNonNegative, 'a number of milliseconds');
  const reset = optional(input, 'reset', isTrue, 'true');
  const hang = optional(input, 'hang', isTrue, 'true');
  const kinds = [status, delayMs, reset, hang].filter((kind) => kind !== undefined).length;
  if (kinds !== 1) throw new TypeError('a fault needs exactly one of status, delayMs, reset, hang');

  if (status !== undefined) {
    return {
      ...scope,
      status,
      retryAfter: optional(input, 'retryAfter', isString, 'a string (seconds or an HTTP date)'),
      retryAfterMs: optional(input, 'retryAfterMs', isNonNegative, 'a number of milliseconds'),
      body: optional(input, 'body', isString, 'a string'),
      contentType: optional(input, 'contentType', isString, 'a string'),
    };
  }
  if (delayMs !== undefined) return { ...scope, delayMs };
  if (reset) return { ...scope, reset };
  return { ...scope, hang: true };
}

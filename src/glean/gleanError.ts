/**
 * The one error type for Glean's answers and the ways of not getting one (network, timeout). Pages get
 * it as a ReplyError (replyError below). The extension's own refusals are other types (src/worker/invalidInput.ts,
 * src/worker/signIn/signInError.ts); anything else is a bug (src/worker/describeError.ts).
 */
import type { ReplyError } from '../shared/messages.ts';

export type GleanErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'bad-request'
  | 'rate-limited'
  | 'server-error'
  | 'unreachable'
  | 'timeout'
  | 'aborted'
  | 'bad-response'
  | 'not-configured'
  /** The person's sign-in ended (or the administrator allows only signing in): they sign in again. */
  | 'sign-in-needed'
  /** The enterprise policy has a value that does not hold: nothing is sent until it is fixed. */
  | 'policy-invalid'
  /** The browser has not given the extension access to the Glean server's host (see src/worker/requireServerAccess.ts). */
  | 'no-access'
  | 'too-large'
  /** Glean answered with a redirect the client does not follow (src/glean/client.ts). */
  | 'redirected'
  | 'http';

export interface GleanErrorDetails {
  status?: number;
  contentType?: string;
  /** Body text, as bodyExcerpt() gives it: redacted, collapsed and cut to BODY_EXCERPT_CHARS. */
  bodyExcerpt?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/** Long enough to recognise a sign-in page or a JSON error, short enough for a log line. */
export const BODY_EXCERPT_CHARS = 200;

/** Statuses that say "not now" rather than "never": 408 and 429 by definition (RFC 9110 §15.5.9,
 * RFC 6585 §4), and the 500/502/503/504 family the official SDKs retry. 501 and 505 are permanent,
 * and 400/401/403/404 will fail the same way every time. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Failures without a status worth another try: the network may come back, a slow server may answer. */
const RETRYABLE_CODES: ReadonlySet<GleanErrorCode> = new Set(['unreachable', 'timeout']);

function isRetryableFailure(code: GleanErrorCode, status: number | undefined): boolean {
  return status === undefined ? RETRYABLE_CODES.has(code) : RETRYABLE_STATUSES.has(status);
}

export class GleanError extends Error {
  override readonly name = 'GleanError';
  readonly code: GleanErrorCode;
  readonly status?: number;
  readonly contentType?: string;
  readonly bodyExcerpt?: string;
  readonly retryAfterMs?: number;
  readonly retryable: boolean;

  constructor(code: GleanErrorCode, message: string, { cause, ...details }: GleanErrorDetails = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    Object.assign(this, details);
    this.retryable = isRetryableFailure(code, details.status);
  }
}

/** The code for a non-2xx answer. The spec lists only 400/401/429 for the images operations, but
 * the operations are Preview and undocumented beyond it, so be liberal: anything else still gets a code the UI can explain. */
export function codeForStatus(status: number): GleanErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 && status <= 599 ? 'server-error' : 'http');
}

const STATUS_CODES: Partial<Record<number, GleanErrorCode>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  408: 'timeout',
  413: 'too-large',
  429: 'rate-limited',
};

/** A body fit for a log line or an error message: secrets redacted (before cutting, so no part of
 * one survives), whitespace collapsed, at most BODY_EXCERPT_CHARS characters. Idempotent. */
export function bodyExcerpt(text: string, secrets: readonly string[] = []): string {
  const collapsed = redact(text, secrets).replace(/\s+/g, ' ').trim();
  return collapsed.length <= BODY_EXCERPT_CHARS
    ? collapsed
    : `${collapsed.slice(0, BODY_EXCERPT_CHARS - 1)}…`;
}

/** Replaces every occurrence of each secret (and its URL-encoded form, in case a server echoes a
 * query string) with `[redacted]`. Servers sometimes echo request headers in error pages. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join('[redacted]');
    }
  }
  return result;
}

/** Turns anything caught into a GleanError: a GleanError as is, a DOM abort or timeout by name,
 * anything else as 'http' with its message, so the UI always has a code to explain. */
export function asGleanError(e: unknown): GleanError {
  if (e instanceof GleanError) return e;
  // DOMException is an Error subclass in browsers and in Node 17+.
  const name = e instanceof Error ? e.name : '';
  const message = e instanceof Error ? e.message : String(e);
  if (name === 'AbortError') return new GleanError('aborted', message, { cause: e });
  if (name === 'TimeoutError') return new GleanError('timeout', message, { cause: e });
  return new GleanError('http', message, { cause: e });
}

/** A GleanError as it travels in extension messages and job records: plain JSON, worded for people. */
export function replyError({ code, status }: GleanError, message: string): ReplyError {
  return { code, message, ...(status !== undefined ? { status } : {}) };
}

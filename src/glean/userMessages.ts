/**
 * What to tell a person when talking to Glean failed: what happened, then what to do about it.
 * The words are the `glean…` messages of `public/_locales/<lang>/messages.json`; this module only
 * chooses which one fits the failure and the activity.
 */
import type { GleanError } from './gleanError.ts';
import { t } from '../shared/i18n.ts';

export type GleanActivity = 'lookup' | 'upload' | 'test';

function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 120 ? t('gleanWaitSeconds', seconds) : t('gleanWaitMinutes', Math.ceil(seconds / 60));
}

function contentTypeOf(e: GleanError): string {
  return e.contentType === undefined || e.contentType === '' ? t('gleanUnknownContentType') : e.contentType;
}

/** What happened, without the retry outlook. */
function whatHappened(e: GleanError, context: GleanActivity): string {
  switch (e.code) {
    case 'unauthorized':
      return t('gleanUnauthorized');
    case 'forbidden':
      return t('gleanForbidden');
    case 'not-found':
      return t(context === 'lookup' ? 'gleanNotFoundLookup' : 'gleanNotFoundService');
    case 'bad-request':
      // No status: the client refused to send a file that is not an image.
      if (e.status === undefined) return t('gleanNotAnImage', contentTypeOf(e));
      return t(
        context === 'lookup' ? 'gleanBadRequestLookup' : context === 'upload' ? 'gleanBadRequestUpload' : 'gleanBadRequestTest',
      );
    case 'rate-limited':
      return t('gleanRateLimited');
    case 'server-error':
      return t('gleanServerError', e.status ?? '5xx');
    case 'unreachable':
      return t('gleanUnreachable');
    case 'timeout':
      return t('gleanTimeout');
    case 'aborted':
      return t(
        context === 'lookup' ? 'gleanCancelledLookup' : context === 'upload' ? 'gleanCancelledUpload' : 'gleanCancelledTest',
      );
    case 'bad-response':
      return describeBadResponse(e, context);
    case 'not-configured':
      return t('gleanNotConfigured');
    case 'sign-in-needed':
      return t('signInEnded');
    case 'policy-invalid':
      return t('gleanPolicyInvalid');
    case 'no-access':
      // The worker retries an upload by itself once access is granted (src/worker/index.ts).
      return t(context === 'upload' ? 'gleanNoAccessUpload' : 'gleanNoAccess');
    case 'too-large':
      return t('gleanTooLarge');
    case 'redirected':
      return t(context === 'upload' ? 'gleanRedirectedUpload' : 'gleanRedirected');
    case 'http':
      return e.status === undefined
        ? t('gleanUnexpectedFailure')
        : t('gleanUnexpectedStatus', e.status);
  }
}

function describeBadResponse(e: GleanError, context: GleanActivity): string {
  if (context === 'upload') return t('gleanUnreadableUploadAnswer', contentTypeOf(e));
  const type = contentTypeOf(e);
  if (/^image\//i.test(type)) return t('gleanEmptyImage');
  return t(/^text\/html\b/i.test(type) ? 'gleanSignInPage' : 'gleanNotAnImageAnswer', type);
}

/** The retry outlook, for failures that may pass by themselves. */
function whatNext(e: GleanError, opts: { willRetry?: boolean; retryInMs?: number }): string | undefined {
  if (!e.retryable) return undefined;
  if (opts.willRetry === true) {
    return opts.retryInMs === undefined
      ? t('gleanRetryingSoon')
      : t('gleanRetryingIn', formatWait(opts.retryInMs));
  }
  const waitMs = opts.retryInMs ?? e.retryAfterMs;
  return waitMs === undefined ? t('gleanTryAgainLater') : t('gleanTryAgainIn', formatWait(waitMs));
}

/**
 * `opts.willRetry`: an automatic retry is scheduled, `opts.retryInMs` after now; without it, the
 * message says when to try again by hand (the server's Retry-After when it gave one).
 */
export function describeGleanError(
  e: GleanError,
  context: GleanActivity,
  opts: { willRetry?: boolean; retryInMs?: number } = {},
): string {
  const next = whatNext(e, opts);
  const happened = whatHappened(e, context);
  return next === undefined ? happened : t('gleanThenWhatNext', happened, next);
}

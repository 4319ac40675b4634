/**
 * What to tell a person when talking to Glean failed: what happened, then what to do about it.
 *
 * Every string is in GLEAN_ERROR_MESSAGES, already in the shape of a `_locales/<lang>/messages.json`
 * entry (named `$PLACEHOLDER$`s whose content is `$1`, `$2`...), so moving them there later means
 * copying the object and replacing `fill(...)` with `chrome.i18n.getMessage(name, substitutions)`.
 */
import type { GleanError } from './gleanError.ts';

export type GleanActivity = 'lookup' | 'upload' | 'test';

interface LocaleMessage {
  message: string;
  description: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}

const WAIT = { wait: { content: '$1', example: '30 s' } };
const CONTENT_TYPE = { content_type: { content: '$1', example: 'text/html' } };
const STATUS = { status: { content: '$1', example: '502' } };

export const GLEAN_ERROR_MESSAGES = {
  gleanUnauthorized: {
    message: 'Glean rejected the API token. Check it in Options.',
    description: 'HTTP 401: the token is wrong, expired or revoked.',
  },
  gleanForbidden: {
    message:
      'Glean refused access to images (403). The API token may lack the permission or scope for images: check it in Options or ask your Glean admin.',
    description: 'HTTP 403. There is no documented images scope, so a scoped token may get this.',
  },
  gleanNotFoundLookup: {
    message: 'Glean has no image for this key or these details. Check the key, or the type, id, ds and cid.',
    description: 'HTTP 404 when looking up an image.',
  },
  gleanNotFoundService: {
    message: 'Glean answered "not found" (404). Check that the instance in Options is your Glean backend.',
    description: 'HTTP 404 when uploading or testing the connection: the images API is not at that address.',
  },
  gleanBadRequestLookup: {
    message:
      'Glean refused this lookup as invalid (400). Check the key or the type, id, ds and cid; with a global token, also set the user to act as in Options.',
    description: 'HTTP 400 on a lookup. A global token without X-Glean-ActAs also gets 400.',
  },
  gleanBadRequestUpload: {
    message:
      'Glean refused this upload as invalid (400). Check the type, id, ds and cid; with a global token, also set the user to act as in Options.',
    description: 'HTTP 400 on an upload.',
  },
  gleanBadRequestTest: {
    message:
      'Glean refused the test request as invalid (400). With a global token, set the user to act as in Options.',
    description: 'HTTP 400 when testing the connection; the usual cause is a global token without act-as.',
  },
  gleanNotAnImage: {
    message: 'Only images can be uploaded; this file is $CONTENT_TYPE$.',
    description: 'The file chosen for upload does not have an image/* type; nothing was sent.',
    placeholders: CONTENT_TYPE,
  },
  gleanRateLimited: {
    message: 'Glean is rate limiting requests.',
    description: 'HTTP 429. Followed by when to try again.',
  },
  gleanServerError: {
    message: 'Glean had a problem answering (HTTP $STATUS$).',
    description: 'HTTP 5xx. Followed by whether it will be retried.',
    placeholders: STATUS,
  },
  gleanUnreachable: {
    message: 'Glean could not be reached. Check your network connection and the instance in Options.',
    description: 'The request never got an answer (offline, DNS, TLS, blocked). Followed by whether it will be retried.',
  },
  gleanTimeout: {
    message: 'Glean took too long to answer.',
    description: 'Our per-request time limit or HTTP 408. Followed by whether it will be retried.',
  },
  gleanCancelledLookup: {
    message: 'Lookup cancelled.',
    description: 'The person closed the popup or started another lookup.',
  },
  gleanCancelledUpload: {
    message: 'Upload cancelled.',
    description: 'The person cancelled the upload.',
  },
  gleanCancelledTest: {
    message: 'Connection test cancelled.',
    description: 'The person left the Options page or started another test.',
  },
  gleanSignInPage: {
    message:
      'Glean answered with $CONTENT_TYPE$ instead of an image, which usually means a sign-in page. Check the instance and the API token in Options.',
    description: 'A lookup got a text/html answer, typically after a redirect to single sign-on.',
    placeholders: CONTENT_TYPE,
  },
  gleanNotAnImageAnswer: {
    message: 'Glean answered with $CONTENT_TYPE$ instead of an image. Check the instance in Options.',
    description: 'A lookup got a non-image, non-HTML answer.',
    placeholders: CONTENT_TYPE,
  },
  gleanEmptyImage: {
    message: 'Glean answered with an empty image.',
    description: 'A lookup got an image/* answer with no bytes.',
  },
  gleanUnreadableUploadAnswer: {
    message:
      "Glean's answer to the upload could not be read ($CONTENT_TYPE$). The image may have been stored anyway: look it up before uploading it again.",
    description: 'The upload answer was not JSON with a url.',
    placeholders: CONTENT_TYPE,
  },
  gleanNotConfigured: {
    message: 'Set your Glean instance and API token in Options.',
    description: 'Nothing can be sent before both are set.',
  },
  gleanTooLarge: {
    message: 'The image is too large for Glean (413). Try a smaller file.',
    description: 'HTTP 413 on an upload.',
  },
  gleanUnexpectedStatus: {
    message: 'Glean answered with an unexpected error (HTTP $STATUS$).',
    description: 'Any status without a more specific message.',
    placeholders: STATUS,
  },
  gleanUnexpectedFailure: {
    message: 'Something went wrong while talking to Glean.',
    description: 'A failure with no HTTP status and no more specific message.',
  },
  gleanRetryingIn: {
    message: 'Trying again in $WAIT$.',
    description: 'Appended when an automatic retry is scheduled.',
    placeholders: WAIT,
  },
  gleanRetryingSoon: {
    message: 'Trying again shortly.',
    description: 'Appended when an automatic retry is scheduled with no known delay.',
  },
  gleanTryAgainIn: {
    message: 'Try again in $WAIT$.',
    description: 'Appended when no retry is scheduled but the server said when to come back.',
    placeholders: WAIT,
  },
  gleanTryAgainLater: {
    message: 'Try again later.',
    description: 'Appended when no retry is scheduled and the failure may pass.',
  },
  gleanWaitSeconds: {
    message: '$COUNT$ s',
    description: 'A wait of under two minutes.',
    placeholders: { count: { content: '$1', example: '30' } },
  },
  gleanWaitMinutes: {
    message: '$COUNT$ min',
    description: 'A wait of two minutes or more.',
    placeholders: { count: { content: '$1', example: '5' } },
  },
  gleanUnknownContentType: {
    message: 'no content type',
    description: 'Stands in for a missing Content-Type in other messages.',
  },
} satisfies Record<string, LocaleMessage>;

export type GleanMessageName = keyof typeof GLEAN_ERROR_MESSAGES;

/** chrome.i18n.getMessage's substitution rules, for messages that still live in this file. */
export function fill(name: GleanMessageName, substitutions: readonly string[] = []): string {
  const entry: LocaleMessage = GLEAN_ERROR_MESSAGES[name];
  return entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (match, placeholder: string) => {
    const content = entry.placeholders?.[placeholder.toLowerCase()]?.content;
    if (content === undefined) return match;
    return content.replace(/\$(\d)/g, (_, index: string) => substitutions[Number(index) - 1] ?? '');
  });
}

function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 120
    ? fill('gleanWaitSeconds', [String(seconds)])
    : fill('gleanWaitMinutes', [String(Math.ceil(seconds / 60))]);
}

function contentTypeOf(e: GleanError): string {
  return e.contentType === undefined || e.contentType === ''
    ? fill('gleanUnknownContentType')
    : e.contentType;
}

/** What happened, without the retry outlook. */
function whatHappened(e: GleanError, context: GleanActivity): string {
  switch (e.code) {
    case 'unauthorized':
      return fill('gleanUnauthorized');
    case 'forbidden':
      return fill('gleanForbidden');
    case 'not-found':
      return fill(context === 'lookup' ? 'gleanNotFoundLookup' : 'gleanNotFoundService');
    case 'bad-request':
      // No status: the client refused to send a file that is not an image.
      if (e.status === undefined) return fill('gleanNotAnImage', [contentTypeOf(e)]);
      return fill(
        context === 'lookup' ? 'gleanBadRequestLookup' : context === 'upload' ? 'gleanBadRequestUpload' : 'gleanBadRequestTest',
      );
    case 'rate-limited':
      return fill('gleanRateLimited');
    case 'server-error':
      return fill('gleanServerError', [String(e.status ?? '5xx')]);
    case 'unreachable':
      return fill('gleanUnreachable');
    case 'timeout':
      return fill('gleanTimeout');
    case 'aborted':
      return fill(
        context === 'lookup' ? 'gleanCancelledLookup' : context === 'upload' ? 'gleanCancelledUpload' : 'gleanCancelledTest',
      );
    case 'bad-response':
      return describeBadResponse(e, context);
    case 'not-configured':
      return fill('gleanNotConfigured');
    case 'too-large':
      return fill('gleanTooLarge');
    case 'http':
      return e.status === undefined
        ? fill('gleanUnexpectedFailure')
        : fill('gleanUnexpectedStatus', [String(e.status)]);
  }
}

function describeBadResponse(e: GleanError, context: GleanActivity): string {
  if (context === 'upload') return fill('gleanUnreadableUploadAnswer', [contentTypeOf(e)]);
  const type = contentTypeOf(e);
  if (/^image\//i.test(type)) return fill('gleanEmptyImage');
  return fill(/^text\/html\b/i.test(type) ? 'gleanSignInPage' : 'gleanNotAnImageAnswer', [type]);
}

/** The retry outlook, for failures that may pass by themselves. */
function whatNext(e: GleanError, opts: { willRetry?: boolean; retryInMs?: number }): string | undefined {
  if (!e.retryable) return undefined;
  if (opts.willRetry === true) {
    return opts.retryInMs === undefined
      ? fill('gleanRetryingSoon')
      : fill('gleanRetryingIn', [formatWait(opts.retryInMs)]);
  }
  const waitMs = opts.retryInMs ?? e.retryAfterMs;
  return waitMs === undefined ? fill('gleanTryAgainLater') : fill('gleanTryAgainIn', [formatWait(waitMs)]);
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
  return next === undefined ? happened : `${happened} ${next}`;
}

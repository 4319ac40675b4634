/** Turns whatever a handler threw into the error a page shows: typed, worded for people, token-free. */
import { GleanError, replyError } from '../glean/gleanError.ts';
import { describeGleanError, type GleanActivity } from '../glean/userMessages.ts';
import { t } from '../shared/i18n.ts';
import type { ReplyError, RequestType } from '../shared/messages.ts';
import { InvalidInput } from './invalidInput.ts';
import { StorageFull } from './cache/storageFull.ts';
import { SignInError } from './signIn/signInError.ts';
import { UploadsFull } from '../shared/uploadStore.ts';
import { logError } from '../shared/logFailure.ts';

const activityOf = (type: RequestType): GleanActivity =>
  type === 'image/serve' ? 'lookup' : type.startsWith('upload/') ? 'upload' : 'test';
// A sign-in's own failures are SignInErrors; what reaches here from signIn/ are Glean's usual ones (unreachable).

export function describeError(error: unknown, type: RequestType): ReplyError {
  if (error instanceof InvalidInput) return { code: 'invalid-input', message: error.message };
  if (error instanceof StorageFull || error instanceof UploadsFull) return { code: 'storage-full', message: error.message };
  if (error instanceof SignInError) return { code: 'sign-in', message: error.message };
  if (error instanceof GleanError) return replyError(error, describeGleanError(error, activityOf(type)));
  // A bug, not a Glean answer: say so without echoing internals (they could hold request details).
  logError(`unexpected failure in ${type}`, error);
  return { code: 'unexpected', message: t('errorUnexpected') };
}

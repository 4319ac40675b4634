/**
 * Notifications for right-click uploads (popup uploads show in the popup already), and what a click on
 * one does. A notification's id says what it is about: a job's id for a job's result, so a click can
 * read the job from the store even after the worker was restarted.
 */
import { browser } from '../../shared/browser.ts';
import { t } from '../../shared/i18n.ts';
import type { UploadJob } from '../../shared/uploadJob.ts';
import { readJob } from '../../shared/uploadStore.ts';
import { openPopup } from '../openPopup.ts';

const OPENS_OPTIONS = 'options:';
const JUST_SAYS = 'problem:';

/**
 * Only what both browsers show: a "basic" notification with an icon, a title and a message. Firefox
 * ignores `buttons`, `requireInteraction`, `priority` and the other types' fields
 * (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/notifications/NotificationOptions#browser_compatibility),
 * so nothing may depend on them: a click on the notification itself is the one action, and what it
 * does is read from its id.
 */
function show(id: string, title: string, message: string): Promise<void> {
  return browser.notifications
    .create(id, { type: 'basic', iconUrl: browser.runtime.getURL('icons/icon-128.png'), title, message })
    .then(() => undefined);
}

/** Nothing was uploaded, and `message` says why. */
export function notifyNotUploaded(message: string, { opensOptions = false } = {}): Promise<void> {
  return show((opensOptions ? OPENS_OPTIONS : JUST_SAYS) + crypto.randomUUID(), t('notifyNotUploadedTitle'), message);
}

/** The sign-in ended and a silent one did not bring it back; a click opens Options to sign in again. */
export function notifySignInEnded(): Promise<void> {
  return show(OPENS_OPTIONS + crypto.randomUUID(), t('notifySignInEndedTitle'), t('signInEnded'));
}

/** The queue's `finished` hook: says how a right-click upload ended. */
export async function announceUploadEnded(job: UploadJob): Promise<void> {
  if (job.origin !== 'context-menu') return;
  if (job.state === 'uploaded') {
    await show(job.id, t('notifyUploadedTitle'), t('notifyUploadedMessage', job.fileName));
  } else if (job.state === 'failed') {
    const reason = job.lastError?.message ?? t('notifyFailedNoReason');
    await show(job.id, t('notifyFailedTitle'), t('notifyFailedMessage', job.fileName, reason));
  }
}

export async function onNotificationClicked(id: string): Promise<void> {
  void browser.notifications.clear(id);
  if (id.startsWith(OPENS_OPTIONS)) return browser.runtime.openOptionsPage();
  if (id.startsWith(JUST_SAYS)) return;
  const job = await readJob(id);
  const url = job?.result?.url;
  if (url && /^https?:\/\//.test(url)) await browser.tabs.create({ url });
  else if (job) await openPopup();
}

/**
 * The toolbar badge counts the uploads that are not done yet: waiting, uploading or failed. Empty when
 * none, so a failed right-click upload is seen even with no popup open; "!" when the sign-in ended.
 */
import { browser } from '../../shared/browser.ts';
import { listJobs } from '../../shared/uploadStore.ts';

let latest: Promise<void> = Promise.resolve();

async function update(signInEnded: () => Promise<boolean>): Promise<void> {
  const [jobs, ended] = await Promise.all([listJobs(), signInEnded()]);
  const count = jobs.filter((job) => job.state !== 'uploaded').length;
  // "!" says "sign in again" where there is no popup open to say it in words.
  await browser.action.setBadgeText({ text: ended ? '!' : count ? String(count) : '' });
}

/** Recounts; calls run one after another, so an older count never overwrites a newer one. */
export function showUnfinishedCount(signInEnded: () => Promise<boolean>): Promise<void> {
  const run = (): Promise<void> => update(signInEnded);
  latest = latest.then(run, run);
  return latest;
}

/**
 * The toolbar badge counts the uploads that are not done yet: waiting, uploading or failed. Empty when
 * none, so a failed right-click upload is seen even with no popup open.
 */
import browser from 'webextension-polyfill';
import { listJobs } from '../../shared/uploadStore.ts';

let latest: Promise<void> = Promise.resolve();

async function update(): Promise<void> {
  const jobs = await listJobs();
  const count = jobs.filter((job) => job.state !== 'uploaded').length;
  await browser.action.setBadgeText({ text: count ? String(count) : '' });
}

/** Recounts; calls run one after another, so an older count never overwrites a newer one. */
export function showUnfinishedCount(): Promise<void> {
  latest = latest.then(update, update);
  return latest;
}

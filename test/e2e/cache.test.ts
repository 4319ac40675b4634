/**
 * The image cache end to end, in Chromium against the sandbox: a lookup seen once shows again with
 * Glean offline; the byte budget evicts the least recently used image; "Clear cache" empties it; and
 * another token or act-as user never sees the previous identity's images. Each test has its own
 * browser profile; the sandbox is shared and every test puts its own images into it.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { samplePng } from '../../sandbox/png.ts';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { eventually } from '../harness/eventually.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { saveSettings } from '../harness/configure.ts';
import { cacheStats, noisePng, putInSandbox, watchStatuses } from '../harness/imageCache.ts';
import { openOptions } from '../harness/options.ts';
import { lookUpForm } from '../harness/popup.ts';
import { requestsFrom } from '../harness/requests.ts';

let sandbox: Sandbox;
let extension: Extension;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
});
after(async () => {
  await sandbox?.close();
});
beforeEach(async () => {
  await sandbox.goOnline();
  extension = await launchExtension();
  const page = await extension.openPage('popup.html');
  await saveSettings(page, { instance: sandbox.url, token: sandbox.token });
  await page.close();
});
afterEach(async () => {
  await extension?.close();
});

interface LookUp {
  popup: Page;
  form: Locator;
  /** Every text the status line showed since before the click. */
  statuses: () => Promise<string[]>;
}

/** Opens a new popup (as a person would, each time) and looks `key` up. */
async function lookUp(key: string): Promise<LookUp> {
  const popup = await extension.openPage('popup.html');
  const form = lookUpForm(popup);
  await form.getByRole('textbox', { name: 'Key' }).fill(key);
  const statuses = await watchStatuses(popup);
  await form.getByRole('button', { name: 'Look up' }).click();
  return { popup, form, statuses };
}

/** Waits until the lookup is over (the button is enabled again) and answers the final status or alert. */
async function settled({ form }: LookUp): Promise<{ status: string; alert: string; image: boolean }> {
  await form.getByRole('button', { name: 'Look up', disabled: false }).waitFor();
  // An empty status or alert line is hidden (display: none), so it is found only with hidden ones.
  return {
    status: (await form.getByRole('status', { includeHidden: true }).textContent()) ?? '',
    alert: (await form.getByRole('alert', { includeHidden: true }).textContent()) ?? '',
    image: await form.getByRole('img', { name: /^Glean image/ }).isVisible(),
  };
}

async function imageDecodes(form: Locator): Promise<boolean> {
  const width = await form.getByRole('img', { name: /^Glean image/ }).evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
  return width > 0;
}

test('cache: a new popup shows an image seen before "from cache", offline too, then refreshes it from Glean', async () => {
  const key = await putInSandbox(sandbox, 'offline-photo', noisePng(600, 400));
  const first = await lookUp(key);
  await first.form.getByRole('status').filter({ hasText: 'from Glean' }).waitFor();
  const size = await first.form.getByRole('img', { name: /^Glean image/ }).evaluate(async (img: HTMLImageElement) => (await (await fetch(img.src)).blob()).size);
  // The answer comes first; the cache files the original, then its thumbnail beside it (see keepImage.ts).
  await eventually('the original and its thumbnail in the cache', async () => {
    const stats = await cacheStats(first.popup);
    return stats.entries === 1 && stats.bytes > size ? stats : undefined;
  });
  await first.popup.close();

  await sandbox.goOffline();
  const again = await lookUp(key);
  await again.form.getByRole('status').filter({ hasText: 'from cache' }).waitFor();
  assert.ok(await imageDecodes(again.form), 'the full-size original shows');
  // The refresh fails (Glean is offline) and the worker answers from the cache too: nothing changes.
  assert.deepEqual(await settled(again), { status: 'from cache', alert: '', image: true });
  assert.deepEqual(await again.statuses(), ['Looking up…', 'from cache']);

  // Online again: the cache answers first, then Glean confirms the same image.
  await sandbox.goOnline();
  const online = await lookUp(key);
  assert.deepEqual(await settled(online), { status: 'from Glean', alert: '', image: true });
  assert.deepEqual(await online.statuses(), ['Looking up…', 'from cache', 'from Glean']);
});

test('cache: a small budget evicts the least recently used image', async () => {
  // Six 256 × 256 noise PNGs of about 197 KB, each its own thumbnail: 1 MB holds five.
  const keys: string[] = [];
  for (let i = 0; i < 6; i++) keys.push(await putInSandbox(sandbox, `budget-${i}`, noisePng(256, 256)));
  const options = await openOptions(extension);
  await options.getByLabel('Cache size (MB)').fill('1');
  await options.getByLabel('Cache size (MB)').press('Enter');
  await options.getByText('Holds 0 images, 0.0 MB of 1 MB.').waitFor();

  for (const key of keys) {
    const { popup, form } = await lookUp(key);
    await form.getByRole('status').filter({ hasText: 'from Glean' }).waitFor();
    await popup.close();
  }
  await options.reload();
  await options.getByText(/^Holds 5 images, 0\.9 MB of 1 MB\.$/).waitFor();

  // Offline, the five kept show "from cache"; the first image looked up went. Offline nothing new is
  // stored, so nothing more is evicted, and the six popups look up at once: each waits out its own
  // retries of an unreachable Glean (src/glean/retryPolicy.ts), about 2 s, 13 s one after another.
  await sandbox.goOffline();
  const kept = async (key: string): Promise<void> => {
    const looked = await lookUp(key);
    assert.deepEqual(await settled(looked), { status: 'from cache', alert: '', image: true }, key);
    await looked.popup.close();
  };
  const evicted = async (key: string): Promise<void> => {
    const oldest = await lookUp(key);
    const outcome = await settled(oldest);
    assert.equal(outcome.image, false);
    assert.match(outcome.alert, /could not be reached/);
    assert.ok(!(await oldest.statuses()).some((text) => text.includes('from cache')));
  };
  const [first = '', ...others] = keys;
  await Promise.all([evicted(first), ...others.map(kept)]);
});

test('cache: the hourly sweep alarm is set at install', async () => {
  const worker = await extension.worker();
  // Created by runtime.onInstalled, which may still be running: ask until it is there.
  let alarm: chrome.alarms.Alarm | undefined;
  for (const deadline = Date.now() + 5_000; !alarm && Date.now() < deadline; ) {
    alarm = await worker.evaluate((name) => chrome.alarms.get(name), 'image-cache-sweep');
  }
  assert.equal(alarm?.periodInMinutes, 60);
});

test('cache: "Clear cache" empties it, and the next lookup goes to Glean', async () => {
  const key = await putInSandbox(sandbox, 'clear-me', samplePng('clear-me'));
  const first = await lookUp(key);
  await first.form.getByRole('status').filter({ hasText: 'from Glean' }).waitFor();
  await first.popup.close();

  const options = await openOptions(extension);
  await options.getByText(/^Holds 1 image, /).waitFor();
  await options.getByRole('button', { name: 'Clear cache' }).click();
  await options.getByText(/^Holds 0 images, 0\.0 MB of 50 MB\.$/).waitFor();

  const requests = requestsFrom(sandbox);
  const again = await lookUp(key);
  assert.deepEqual(await settled(again), { status: 'from Glean', alert: '', image: true });
  assert.ok(!(await again.statuses()).some((text) => text.includes('from cache')));
  assert.equal(requests.all().length, 1);
});

test('cache: another act-as user or token never sees the previous identity’s images', async () => {
  const key = await putInSandbox(sandbox, 'private', samplePng('private'));
  const first = await lookUp(key);
  await first.form.getByRole('status').filter({ hasText: 'from Glean' }).waitFor();
  await first.popup.close();

  // Another act-as user, through the options page as a person would: the lookup goes to Glean.
  const options = await openOptions(extension);
  await options.getByRole('textbox', { name: 'Act as' }).fill('alex@example.com');
  await options.getByRole('button', { name: 'Save' }).click();
  await options.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  assert.equal((await cacheStats(options)).entries, 0, 'the previous identity’s images are not kept');
  let requests = requestsFrom(sandbox);
  const asAlex = await lookUp(key);
  assert.deepEqual(await settled(asAlex), { status: 'from Glean', alert: '', image: true });
  assert.ok(!(await asAlex.statuses()).some((text) => text.includes('from cache')));
  assert.equal(requests.all()[0]?.headers['x-glean-actas'], 'alex@example.com');
  await asAlex.popup.close();

  // Another token: Glean refuses it, and Alex's image stays hidden.
  await options.getByLabel('API token').fill('someone-elses-token');
  await options.getByRole('button', { name: 'Save' }).click();
  await options.getByText('Token saved (ends in …oken)').waitFor();
  requests = requestsFrom(sandbox);
  const otherToken = await lookUp(key);
  const outcome = await settled(otherToken);
  assert.equal(outcome.image, false);
  assert.match(outcome.alert, /rejected the API token/);
  assert.ok(!(await otherToken.statuses()).some((text) => text.includes('from cache')));
  assert.equal(requests.all()[0]?.headers.authorization, 'Bearer someone-elses-token');
  assert.equal((await cacheStats(options)).entries, 0);
});

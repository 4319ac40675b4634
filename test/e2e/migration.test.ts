/// <reference types="chrome" />
/**
 * An update from the first release, end to end: the worker's storage is given the version-1 layout
 * (settings as `{ server, serverUrl, actAsEmail, authType }`, the token as plain text, upload jobs of
 * record version 1 with a failed job's bytes), the extension's manifest version is raised and the
 * extension reloaded, as an update does (Chrome runs onInstalled with reason "update"), and then
 * everything is found intact through the pages: Options shows the settings, the connection works
 * with them, the token is sealed, and "Recent uploads" lists the old jobs, whose Retry still uploads.
 *
 * Upload jobs have had one record layout so far (`version: 1`, src/shared/uploadJob.ts); there is no
 * older one to migrate, so the test checks that version-1 records survive an update untouched.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Worker } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { samplePng } from '../../sandbox/png.ts';
import { t } from '../../src/shared/i18n.ts';
import type { UploadJob } from '../../src/shared/uploadJob.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { readLocalStorage } from '../harness/configure.ts';
import { eventually } from '../harness/eventually.ts';
import { connectionForm, openOptions } from '../harness/options.ts';
import { lookUpForm, uploadItem } from '../harness/popup.ts';
import { requestsFrom } from '../harness/requests.ts';

let sandbox: Sandbox;
let extension: Extension;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  extension = await launchExtension();
});
after(async () => {
  await extension?.close();
  await sandbox?.close();
});

const T0 = Date.parse('2025-01-15T09:30:00Z');

/** Upload jobs exactly as the first release wrote them (not built by today's code, which may change). */
function firstReleaseJobs(baseUrl: string): UploadJob[] {
  const common = { version: 1 as const, contentType: 'image/png', origin: 'popup' as const, attempts: 1, startedAt: T0, createdAt: T0, updatedAt: T0 + 900 };
  return [
    {
      ...common,
      id: 'job-v1-uploaded-0001',
      metadata: { type: 'LOGO', id: 'old-logo', ds: '', cid: '' },
      fileName: 'old-logo.png',
      size: 1234,
      state: 'uploaded',
      nextAttemptAt: null,
      lastError: null,
      // As the first release stored it, with Glean's metadata, which later versions no longer keep.
      result: { url: `${baseUrl}/rest/api/v1/images?key=old-logo-key`, key: 'old-logo-key', metadata: { type: 'LOGO', id: 'old-logo', ext: 'png' } } as UploadJob['result'],
    },
    {
      ...common,
      id: 'job-v1-failed-0002',
      metadata: { type: 'UGC', id: 'old-failed', ds: 'wiki', cid: '' },
      fileName: 'old-failed.png',
      size: 0, // set from the bytes below
      state: 'failed',
      createdAt: T0 + 1,
      nextAttemptAt: null,
      lastError: { code: 'forbidden', status: 403, message: t('gleanForbidden') },
      result: null,
    },
  ];
}

/** Writes the version-1 layout straight into the worker's storage and IndexedDB, as the first release left it. */
async function installFirstReleaseState(worker: Worker, jobs: UploadJob[], failedBytes: Buffer): Promise<void> {
  await worker.evaluate(
    async ({ server, token, jobs, base64 }) => {
      await chrome.storage.local.clear();
      // The token's key as the first release named it (and as today's does: only the value's form changed).
      await chrome.storage.local.set({
        settings: { server, serverUrl: server, actAsEmail: 'alex@example.com', authType: 'OAUTH' },
        gleanApiToken: token,
      });
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const records: Array<[string, string, string, unknown]> = [
        ...jobs.map((job): [string, string, string, unknown] => ['glean-images-upload-jobs', 'jobs', job.id, job]),
        ['glean-images-upload-blobs', 'blobs', 'job-v1-failed-0002', new Blob([bytes], { type: 'image/png' })],
      ];
      // No named helpers in here: tsx would wrap them in a __name() the worker does not have.
      for (const [database, store, key, value] of records) {
        await new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(database);
          open.onupgradeneeded = () => open.result.createObjectStore(store);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            // Resolved once the transaction has committed, not when the put succeeded: the reload
            // that follows would otherwise abort a Blob's still-running commit now and then.
            const transaction = open.result.transaction(store, 'readwrite');
            transaction.objectStore(store).put(value, key);
            transaction.oncomplete = () => {
              open.result.close();
              resolve();
            };
            transaction.onerror = () => reject(transaction.error);
            transaction.onabort = () => reject(transaction.error);
          };
        });
      }
    },
    { server: sandbox.url, token: sandbox.token, jobs, base64: failedBytes.toString('base64') },
  );
}

/** The update: a higher version in the manifest, then a reload, which runs onInstalled with reason "update". */
async function update(to: string): Promise<Worker> {
  const manifestFile = join(extension.profileDir, 'extension', 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { version: string };
  assert.notEqual(manifest.version, to);
  await writeFile(manifestFile, JSON.stringify({ ...manifest, version: to }, null, 2));
  const old = await extension.worker();
  const restarted = extension.context.waitForEvent('serviceworker');
  // The worker goes away while answering: the evaluation may fail with it.
  await old.evaluate(() => chrome.runtime.reload()).catch(() => undefined);
  const worker = await restarted;
  assert.equal(await worker.evaluate(() => chrome.runtime.getManifest().version), to);
  return worker;
}

test('an update from the first release keeps settings, token and upload list, and they still work', async () => {
  const failedBytes = samplePng('old-failed', 80, 80);
  const jobs = firstReleaseJobs(sandbox.url).map((job) => (job.state === 'failed' ? { ...job, size: failedBytes.length } : job));
  await installFirstReleaseState(await extension.worker(), jobs, failedBytes);

  const worker = await update('9.9.9');
  // onInstalled sealed the plain-text token (src/worker/tokenSeal.ts).
  const sealed = await eventually('the token sealed by the update', async () => {
    const stored = (await readLocalStorage(extension)).gleanApiToken;
    return typeof stored === 'object' && stored !== null ? stored : undefined;
  });
  assert.ok(!JSON.stringify(sealed).includes(sandbox.token));
  assert.equal(await worker.evaluate(() => chrome.runtime.id), extension.id, 'the same extension, updated');

  // Options shows the old settings in today's fields, and the connection works with them.
  const options = await openOptions(extension);
  const form = connectionForm(options);
  assert.equal(await form.getByRole('textbox', { name: 'Glean instance' }).inputValue(), sandbox.url);
  assert.equal(await form.getByRole('textbox', { name: 'Act as' }).inputValue(), 'alex@example.com');
  assert.equal(await form.getByRole('combobox', { name: 'Auth type' }).inputValue(), 'OAUTH');
  await form.getByText(t('optionsTokenSaved', sandbox.token.slice(-4))).waitFor();
  const tested = requestsFrom(sandbox);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await form.getByRole('status').filter({ hasText: 'Glean accepted the token' }).waitFor();
  const [sent] = await tested.waitFor(1);
  assert.equal(sent?.headers.authorization, `Bearer ${sandbox.token}`);
  assert.equal(sent?.headers['x-glean-actas'], 'alex@example.com');
  assert.equal(sent?.headers['x-glean-auth-type'], 'OAUTH');

  // The popup lists the old jobs as they were; the failed one's Retry uploads its kept bytes.
  const popup = await extension.openPage('popup.html');
  const uploaded = uploadItem(popup, 'old-logo.png');
  await uploaded.getByText('Uploaded', { exact: true }).waitFor();
  assert.equal(await uploaded.getByRole('link').getAttribute('href'), `${sandbox.url}/rest/api/v1/images?key=old-logo-key`);
  const failed = uploadItem(popup, 'old-failed.png');
  await failed.getByText('Failed', { exact: true }).waitFor();
  await failed.getByText(t('gleanForbidden')).waitFor();
  const retried = requestsFrom(sandbox);
  await failed.getByRole('button', { name: 'Retry' }).click();
  await failed.getByText('Uploaded', { exact: true }).waitFor();
  const [upload] = await retried.waitFor(1, { operation: 'uploadimage' });
  assert.deepEqual(upload?.query, { type: 'UGC', id: 'old-failed', ds: 'wiki' });
  assert.equal(upload?.bodyBytes, failedBytes.length);

  // And a lookup, which needs the server, the token and the act-as user all at once.
  const [sample] = sandbox.samples;
  assert.ok(sample);
  const look = lookUpForm(popup);
  await look.getByRole('textbox', { name: 'Key' }).fill(sample.key);
  await look.getByRole('button', { name: 'Look up' }).click();
  await look.getByRole('img', { name: /^Glean image/ }).waitFor();

  // Saving once writes the current layout; the values stay.
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('status').filter({ hasText: t('optionsSaved') }).waitFor();
  const settings = (await readLocalStorage(extension)).settings as Record<string, unknown>;
  assert.equal(settings.version, 2);
  assert.equal(settings.instance, sandbox.url);
  assert.equal(settings.actAs, 'alex@example.com');
  assert.equal(settings.authType, 'OAUTH');
  await Promise.all([options.close(), popup.close()]);
});

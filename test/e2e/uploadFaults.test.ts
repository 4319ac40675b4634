/// <reference types="chrome" />
/**
 * Uploads from the popup against the sandbox's faults, one row per fault: how many requests the job
 * makes, how long it waits between them (from the sandbox's arrival times, or from the job's own
 * records when the sandbox is offline and sees nothing), what "Recent uploads" tells the person, and
 * that the upload is never lost: it ends Uploaded with the file's bytes at Glean, or Failed with a
 * Retry that then uploads it.
 *
 * Time: the policy's waits are real (1 s, 2 s, …; Retry-After as asked), so rows that retry are kept
 * to one or two waits. Two rows cannot be shortened: a server that never answers costs the client's
 * real per-attempt timeout (30 s + 10 s per MB: 30 s for these small files), and a worker stopped with
 * no page open comes back only on its rescue alarm (30 s, the shortest alarm Chrome allows a store
 * extension). Shortening either would need a test-only path in the product, so instead each runs from
 * the file's start in a browser and sandbox of its own, beside the table; its test checks what it saw.
 * The file takes about 40 s.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startSandbox, type Fault, type RecordedRequest, type Sandbox } from '../../sandbox/server.ts';
import { DEFAULT_TIMEOUTS } from '../../src/glean/client.ts';
import { UPLOAD_RETRY } from '../../src/glean/retryPolicy.ts';
import { t } from '../../src/shared/i18n.ts';
import type { UploadJob } from '../../src/shared/uploadJob.ts';
import { RESCUE_AFTER_MS } from '../../src/worker/uploads/uploadQueue.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { saveSettings } from '../harness/configure.ts';
import { pngFile, type TestFile } from '../harness/files.ts';
import { readStore } from '../harness/imageCache.ts';
import { fillMetadata, uploadForm, uploadItem } from '../harness/popup.ts';
import { dropConnections } from '../harness/requests.ts';

/** Scheduling and local round trips on a busy two-core machine; the waits themselves are exact. */
const SLACK_MS = 1_500;
const { initialDelayMs, multiplier, jitterMs } = UPLOAD_RETRY;
/** The backoff before retry n (1-based), jitter included, as [earliest, latest]. */
const backoff = (n: number): [number, number] => {
  const base = initialDelayMs * multiplier ** (n - 1);
  return [base, base + jitterMs];
};
const JOBS: readonly [string, string] = ['glean-images-upload-jobs', 'jobs'];

let sandbox: Sandbox;
let extension: Extension;
const pages: Page[] = [];
let row = 0;

interface SideRun {
  /** The job's requests' answers, in order. */
  statuses: Array<RecordedRequest['status']>;
  /** From the first request's arrival to the second's. */
  gapMs: number;
  /** What "Recent uploads" said between them, when the test looked for it. */
  said?: string;
  ended: string;
  sha256Matches: boolean;
}

let hung: Promise<SideRun> | undefined;
let stopped: Promise<SideRun> | undefined;

before(async () => {
  // Their tests report failures; until then they must not count as unhandled.
  hung = hungUpload();
  hung.catch(() => undefined);
  stopped = workerStoppedMidUpload();
  stopped.catch(() => undefined);
  sandbox = await startSandbox({ port: 0 });
  extension = await launchExtension();
  const options = await extension.openPage('options.html');
  await saveSettings(options, { instance: sandbox.url, token: sandbox.token });
  await options.close();
});
after(async () => {
  await extension?.close();
  await sandbox?.close();
  await Promise.all([hung?.catch(() => undefined), stopped?.catch(() => undefined)]);
});
beforeEach(async () => {
  sandbox.clearFaults();
  await sandbox.goOnline();
});
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

/** A message as "Recent uploads" words it while a retry is scheduled, whatever the wait: "… Trying again in 2 s." */
function retrying(what: string): RegExp {
  const text = t('gleanThenWhatNext', what, t('gleanRetryingIn', t('gleanWaitSeconds', 999)));
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('999', '\\d+'));
}

interface Upload {
  popup: Page;
  item: Locator;
  file: TestFile;
  fileName: string;
  id: string;
  /** This job's requests at the sandbox so far. */
  requests: () => RecordedRequest[];
}

/**
 * Opens the popup, picks a new file and presses Upload; the row's faults are already queued. Just
 * before the click, `beforeClick` runs: by default it starts the sandbox on fresh connections, so the
 * fault meets the extension and not Chromium's own silent resend on a reused one.
 */
async function upload(browser: Extension, server: Sandbox, beforeClick = () => dropConnections(server)): Promise<Upload> {
  const n = ++row;
  const fileName = `fault-${n}.png`;
  const file = await pngFile(fileName);
  const id = `fault-${n}-${Date.now()}`;
  const popup = await browser.openPage('popup.html');
  // This file's shared browser: closed after the test (the side runs close their whole browser).
  if (browser === extension) pages.push(popup);
  const form = uploadForm(popup);
  await form.getByLabel('Image file').setInputFiles(file.path);
  await fillMetadata(form, { type: 'UGC', id });
  await beforeClick();
  await form.getByRole('button', { name: 'Upload' }).click();
  await popup.getByRole('status').filter({ hasText: t('popupUploadStarted') }).waitFor();
  const requests = () => server.requests.filter((r) => r.operation === 'uploadimage' && r.query.id === id);
  return { popup, item: uploadItem(popup, fileName), file, fileName, id, requests };
}

const stateWord = (item: Locator, state: 'Uploaded' | 'Failed' | 'Queued' | 'Uploading'): Locator => item.getByText(state, { exact: true });

function gaps(requests: readonly RecordedRequest[]): number[] {
  return requests.slice(1).map((request, i) => request.at - (requests[i] as RecordedRequest).at);
}

function assertWithin(actual: number, [earliest, latest]: [number, number], what: string): void {
  assert.ok(actual >= earliest - 5 && actual <= latest + SLACK_MS, `${what}: ${actual} ms, expected ${earliest}-${latest} ms (+${SLACK_MS} ms slack)`);
}

/** Uploaded, and Glean has exactly the file's bytes under the job's metadata. */
function assertLanded(job: Upload): void {
  const last = job.requests().at(-1);
  assert.equal(last?.status, 200);
  assert.equal(last?.bodySha256, job.file.sha256);
  assert.deepEqual(last?.query, { type: 'UGC', id: job.id });
}

interface FaultRow {
  name: string;
  /** Built when the row starts (an HTTP date must be in the future). */
  faults: () => Fault[];
  /** Requests the job makes in all, before anyone presses Retry. */
  requests: number;
  /** Where it ends by itself. */
  ends: 'Uploaded' | 'Failed';
  /** While it waits to retry (Queued), or once it has failed: what "Recent uploads" says. */
  says: string | RegExp;
  /** [earliest, latest] wait before each retry; `retryAfter` rows compute theirs from the request. */
  waits?: Array<[number, number]>;
  /** For a Retry-After: the earliest arrival of the retry, given the first request. */
  retryNotBefore?: (first: RecordedRequest) => number;
}

const uploadOnly = (fault: Fault): Fault => ({ ...fault, operation: 'uploadimage' });
const httpDateAhead = (ms: number): { header: string; at: number } => {
  // A whole second, since HTTP dates have no fractions.
  const at = Math.ceil((Date.now() + ms) / 1_000) * 1_000;
  return { header: new Date(at).toUTCString(), at };
};
let retryAfterDate = 0;

const ROWS: FaultRow[] = [
  {
    name: '503 twice, then OK',
    faults: () => [uploadOnly({ status: 503, times: 2 })],
    requests: 3,
    ends: 'Uploaded',
    says: retrying(t('gleanServerError', 503)),
    waits: [backoff(1), backoff(2)],
  },
  ...[500, 502, 504].map(
    (status): FaultRow => ({
      name: `${status}, then OK`,
      faults: () => [uploadOnly({ status, body: `<h1>${status}</h1>`, contentType: 'text/html' })],
      requests: 2,
      ends: 'Uploaded',
      says: retrying(t('gleanServerError', status)),
      waits: [backoff(1)],
    }),
  ),
  {
    name: '429 with Retry-After in seconds, then OK',
    faults: () => [uploadOnly({ status: 429, retryAfter: '2' })],
    requests: 2,
    ends: 'Uploaded',
    says: t('gleanThenWhatNext', t('gleanRateLimited'), t('gleanRetryingIn', t('gleanWaitSeconds', 2))),
    retryNotBefore: (first) => first.at + 2_000,
  },
  {
    name: '429 with Retry-After as an HTTP date, then OK',
    faults: () => {
      // Far enough ahead to still be ahead when the request comes: opening the popup, picking the file and
      // filling the form take seconds on a busy machine, and a date already past means "retry now".
      const { header, at } = httpDateAhead(6_000);
      retryAfterDate = at;
      return [uploadOnly({ status: 429, retryAfter: header })];
    },
    requests: 2,
    ends: 'Uploaded',
    says: retrying(t('gleanRateLimited')),
    retryNotBefore: () => retryAfterDate,
  },
  {
    name: '429 with retry-after-ms, then OK',
    faults: () => [uploadOnly({ status: 429, retryAfterMs: 1_500 })],
    requests: 2,
    ends: 'Uploaded',
    says: t('gleanThenWhatNext', t('gleanRateLimited'), t('gleanRetryingIn', t('gleanWaitSeconds', 2))),
    retryNotBefore: (first) => first.at + 1_500,
  },
  {
    name: 'a connection reset, then OK',
    faults: () => [uploadOnly({ reset: true })],
    requests: 2,
    ends: 'Uploaded',
    says: retrying(t('gleanUnreachable')),
    waits: [backoff(1)],
  },
  { name: '400', faults: () => [uploadOnly({ status: 400, body: '{"error":"bad"}', contentType: 'application/json' })], requests: 1, ends: 'Failed', says: t('gleanBadRequestUpload') },
  { name: '401', faults: () => [uploadOnly({ status: 401, body: 'unauthorized' })], requests: 1, ends: 'Failed', says: t('gleanUnauthorized') },
  { name: '403', faults: () => [uploadOnly({ status: 403, body: 'forbidden' })], requests: 1, ends: 'Failed', says: t('gleanForbidden') },
  { name: '404', faults: () => [uploadOnly({ status: 404, body: 'not found' })], requests: 1, ends: 'Failed', says: t('gleanNotFoundService') },
  {
    name: 'an answer that is invalid JSON (200 application/json)',
    faults: () => [uploadOnly({ status: 200, body: '{"url": "https://acme-be.glean.com/api/images?key=', contentType: 'application/json' })],
    requests: 1,
    ends: 'Failed',
    says: t('gleanUnreadableUploadAnswer', 'application/json'),
  },
  {
    name: 'an answer that is not JSON at all (200 text/html, a sign-in page)',
    faults: () => [uploadOnly({ status: 200, body: '<!doctype html><title>Sign in</title>', contentType: 'text/html' })],
    requests: 1,
    ends: 'Failed',
    says: t('gleanUnreadableUploadAnswer', 'text/html'),
  },
];

for (const row of ROWS) {
  test(`upload: ${row.name} → ${row.requests} request(s), ${row.ends}${row.ends === 'Failed' ? ', then Retry uploads it' : ''}`, async () => {
    for (const fault of row.faults()) sandbox.fault(fault);
    const job = await upload(extension, sandbox);
    if (row.ends === 'Uploaded') {
      // The retry's message shows while the job waits; then the job finishes by itself.
      await job.item.getByText(row.says).waitFor();
      await stateWord(job.item, 'Queued').waitFor();
      await stateWord(job.item, 'Uploaded').waitFor({ timeout: 20_000 });
      assertLanded(job);
    } else {
      await stateWord(job.item, 'Failed').waitFor();
      assert.equal(await job.item.locator('.job-error').innerText(), row.says);
    }

    const seen = job.requests();
    assert.equal(seen.length, row.requests, `requests: ${JSON.stringify(seen.map((r) => r.status))}`);
    row.waits?.forEach((window, i) => assertWithin(gaps(seen)[i] ?? NaN, window, `wait before retry ${i + 1}`));
    if (row.retryNotBefore) {
      const [first, second] = seen;
      assert.ok(first && second);
      // Retry-After replaces the backoff (no jitter is added): the retry comes just after the time asked.
      const from = row.retryNotBefore(first) - first.at;
      assertWithin(second.at - first.at, [from, from], 'wait before the retry');
    }

    if (row.ends === 'Failed') {
      // Not lost: Retry sends it again, once, and it lands.
      await job.item.getByRole('button', { name: 'Retry' }).click();
      await stateWord(job.item, 'Uploaded').waitFor();
      assert.equal(job.requests().length, row.requests + 1);
      assertLanded(job);
      assert.equal(await job.item.getByRole('button', { name: 'Retry' }).count(), 0);
    }
  });
}

/** Every version of the job's record, as often as a person could notice a change (every 50 ms). */
async function recordJob(popup: Page, id: string, until: (job: UploadJob) => boolean): Promise<UploadJob[]> {
  const history: UploadJob[] = [];
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = (await readStore<UploadJob>(popup, JOBS)).find((j) => j.metadata.id === id);
    if (job && JSON.stringify(job) !== JSON.stringify(history.at(-1))) history.push(job);
    if (job && until(job)) return history;
    if (Date.now() > deadline) throw new Error(`the job never got there: ${JSON.stringify(history.map((j) => [j.state, j.attempts]))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('upload: Glean offline for a while, then back → "could not be reached… Trying again", waits by the policy, then Uploaded with 1 request', async () => {
  const job = await upload(extension, sandbox, () => sandbox.goOffline());
  await job.item.getByText(retrying(t('gleanUnreachable'))).waitFor();
  await stateWord(job.item, 'Queued').waitFor();
  // Two attempts fail against the closed port; then Glean is back before the third.
  const failing = await recordJob(job.popup, job.id, (j) => j.state === 'queued' && j.attempts === 2);
  await sandbox.goOnline();
  const rest = await recordJob(job.popup, job.id, (j) => j.state === 'uploaded');
  await stateWord(job.item, 'Uploaded').waitFor();
  assertLanded(job);
  assert.equal(job.requests().length, 1, 'the offline attempts never reached it');

  // The policy's decisions, exactly as recorded: next attempt = failure time + backoff(n).
  const waiting = [...failing, ...rest].filter((j) => j.state === 'queued' && j.lastError);
  const afterFailure = (n: number): UploadJob => {
    const found = waiting.find((j) => j.attempts === n);
    assert.ok(found, `a record of failed attempt ${n}`);
    return found;
  };
  const [first, second] = [afterFailure(1), afterFailure(2)];
  for (const [n, record] of [[1, first], [2, second]] as const) {
    assert.equal(record.lastError?.code, 'unreachable');
    const delay = (record.nextAttemptAt ?? NaN) - record.updatedAt;
    assert.ok(delay >= backoff(n)[0] && delay <= backoff(n)[1], `decided wait ${n}: ${delay} ms, expected ${backoff(n).join('-')} ms`);
  }
  // And the waits really taken: failure 1 → failure 2, and failure 2 → the request that landed.
  assertWithin(second.updatedAt - first.updatedAt, [(first.nextAttemptAt ?? NaN) - first.updatedAt, (first.nextAttemptAt ?? NaN) - first.updatedAt], 'wait before retry 1');
  const landed = job.requests()[0];
  assert.ok(landed);
  const decided = (second.nextAttemptAt ?? NaN) - second.updatedAt;
  assertWithin(landed.at - second.updatedAt, [decided, decided], 'wait before retry 2');
});

test('upload: the popup closed mid-upload → the upload goes on, 1 request, Uploaded in a new popup', async () => {
  sandbox.fault({ delayMs: 1_500, operation: 'uploadimage' });
  const job = await upload(extension, sandbox);
  await stateWord(job.item, 'Uploading').waitFor();
  await job.popup.close();
  const reopened = await extension.openPage('popup.html');
  pages.push(reopened);
  await stateWord(uploadItem(reopened, job.fileName), 'Uploaded').waitFor({ timeout: 15_000 });
  assert.equal(job.requests().length, 1);
  assertLanded(job);
});

/** A browser and sandbox of its own: the file's table must not wait on its 30 s. */
async function onItsOwn(run: (browser: Extension, server: Sandbox) => Promise<SideRun>): Promise<SideRun> {
  const server = await startSandbox({ port: 0 });
  let browser: Extension | undefined;
  try {
    browser = await launchExtension();
    const options = await browser.openPage('options.html');
    await saveSettings(options, { instance: server.url, token: server.token });
    await options.close();
    return await run(browser, server);
  } finally {
    await browser?.close();
    await server.close();
  }
}

function hungUpload(): Promise<SideRun> {
  return onItsOwn(async (browser, server) => {
    server.fault({ hang: true, operation: 'uploadimage' });
    const job = await upload(browser, server);
    const timedOut = retrying(t('gleanTimeout'));
    await job.item.getByText(timedOut).waitFor({ timeout: DEFAULT_TIMEOUTS.uploadBaseMs + 15_000 });
    const said = await job.item.locator('.job-error').innerText();
    await stateWord(job.item, 'Uploaded').waitFor({ timeout: 15_000 });
    const [first, second] = job.requests();
    assert.ok(first && second);
    return {
      statuses: job.requests().map((r) => r.status),
      gapMs: second.at - first.at,
      said,
      ended: 'Uploaded',
      sha256Matches: second.bodySha256 === job.file.sha256,
    };
  });
}

function workerStoppedMidUpload(): Promise<SideRun> {
  return onItsOwn(async (browser, server) => {
    // A server that never answers: the upload is surely in flight when the worker stops, and only a
    // restarted worker's new attempt can finish it.
    server.fault({ hang: true, operation: 'uploadimage' });
    const job = await upload(browser, server);
    await server.waitForRequests(1, { operation: 'uploadimage' });
    // No extension page open (an open popup would reconnect its port and so wake the worker): nothing
    // but the extension's own alarm can bring the worker back. A blank tab reaches the worker over CDP.
    await job.popup.close();
    const blank = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(blank);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await server.waitForRequests(2, { operation: 'uploadimage', timeoutMs: 60_000 });
    const reopened = await browser.openPage('popup.html');
    await stateWord(uploadItem(reopened, job.fileName), 'Uploaded').waitFor();
    const [first, second] = job.requests();
    assert.ok(first && second);
    return {
      statuses: job.requests().map((r) => r.status),
      gapMs: second.at - first.at,
      ended: 'Uploaded',
      sha256Matches: second.bodySha256 === job.file.sha256,
    };
  });
}

test('upload: a server that never answers → the per-attempt timeout, "took too long… Trying again", then Uploaded on the 2nd request', async () => {
  assert.ok(hung);
  const run = await hung;
  assert.deepEqual(run.statuses, ['hang', 200]);
  assert.match(run.said ?? '', retrying(t('gleanTimeout')));
  assert.ok(run.sha256Matches, 'the bytes landed');
  // The small file's timeout is the base 30 s; then the first backoff.
  const timeout = DEFAULT_TIMEOUTS.uploadBaseMs;
  assertWithin(run.gapMs, [timeout + backoff(1)[0] - 250, timeout + backoff(1)[1]], 'timeout and wait before retry 1');
});

test('upload: the worker stopped mid-upload, no page open → its rescue alarm restarts it and the job ends Uploaded', async () => {
  assert.ok(stopped);
  const run = await stopped;
  assert.deepEqual(run.statuses, ['hang', 200]);
  assert.ok(run.sha256Matches, 'the bytes landed');
  // The rescue wake-up was asked for as the attempt started, a moment before the request arrived.
  assertWithin(run.gapMs, [RESCUE_AFTER_MS - 1_000, RESCUE_AFTER_MS], 'from the lost attempt to the new one');
});

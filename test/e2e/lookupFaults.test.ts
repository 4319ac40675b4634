/**
 * Lookups from the popup against the sandbox's faults: what is retried and how often, how long the
 * waits between tries are (measured from the sandbox's arrival times), and what the person is told.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startSandbox, type Fault, type RecordedRequest, type Sandbox } from '../../sandbox/server.ts';
import { DEFAULT_TIMEOUTS } from '../../src/glean/client.ts';
import { LOOKUP_RETRY } from '../../src/glean/retryPolicy.ts';
import { imageAddress } from '../../src/shared/imageAddress.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { clearSettings, saveSettings } from '../harness/configure.ts';
import { lookUpForm } from '../harness/popup.ts';
import { dropConnections, requestsFrom } from '../harness/requests.ts';

/** Scheduling and local round trips on a busy two-core machine; the waits themselves are exact. */
const SLACK_MS = 1_500;
const { initialDelayMs, multiplier, jitterMs } = LOOKUP_RETRY;
/** The backoff before retry n (1-based), jitter included, as [earliest, latest]. */
const backoff = (n: number): [number, number] => {
  const base = initialDelayMs * multiplier ** (n - 1);
  return [base, base + jitterMs];
};

let sandbox: Sandbox;
let extension: Extension;
const pages: Page[] = [];
/** Each successful lookup asks for another sample, so no test can be answered by an earlier one's image. */
let nextSample = 0;

let hung: Promise<HungLookup> | undefined;

before(async () => {
  hung = hungLookup();
  // Its test reports the failure; until then it must not count as unhandled.
  hung.catch(() => undefined);
  sandbox = await startSandbox({ port: 0 });
  extension = await launchExtension();
});
after(async () => {
  await extension?.close();
  await sandbox?.close();
  await hung?.catch(() => undefined);
});
beforeEach(async () => {
  sandbox.clearFaults();
  await clearSettings(extension);
});
afterEach(async () => {
  // Closing the popup also aborts whatever lookup it still had running.
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

function sampleKey(): string {
  const sample = sandbox.samples[nextSample++ % sandbox.samples.length];
  assert.ok(sample);
  return sample.key;
}

/** Opens the popup, points the extension at the sandbox and looks `key` up. */
async function lookUpIn(browser: Extension, server: Sandbox, key: string): Promise<{ popup: Page; form: Locator }> {
  const popup = await browser.openPage('popup.html');
  await saveSettings(popup, { instance: server.url, token: server.token });
  const form = lookUpForm(popup);
  await form.getByRole('textbox', { name: 'Key' }).fill(key);
  await dropConnections(server);
  await form.getByRole('button', { name: 'Look up' }).click();
  return { popup, form };
}

/** The same in this file's shared browser and sandbox; the popup is closed after the test. */
async function lookUp(key: string): Promise<{ popup: Page; form: Locator }> {
  const looking = await lookUpIn(extension, sandbox, key);
  pages.push(looking.popup);
  return looking;
}

type Outcome = { image: true } | { alert: string };

/** Waits for the lookup to end (an image or an error) and says which. */
async function outcomeOf(form: Locator, timeout = 10_000): Promise<Outcome> {
  const image = form.getByRole('img', { name: /^Glean image/ });
  const alert = form.getByRole('alert').filter({ hasText: /\S/ });
  await image.or(alert).waitFor({ timeout });
  if (await image.isVisible()) {
    await form.getByRole('status').filter({ hasText: 'from Glean' }).waitFor();
    return { image: true };
  }
  return { alert: await alert.innerText() };
}

function gaps(requests: readonly RecordedRequest[]): number[] {
  return requests.slice(1).map((request, i) => request.at - (requests[i] as RecordedRequest).at);
}

function assertWithin(actual: number, [earliest, latest]: [number, number], what: string): void {
  assert.ok(actual >= earliest - 5 && actual <= latest + SLACK_MS, `${what}: ${actual} ms, expected ${earliest}-${latest} ms (+${SLACK_MS} ms slack)`);
}

interface FaultRow {
  name: string;
  faults: Fault[];
  /** Requests the lookup makes in all. */
  requests: number;
  /** `image`, or a fragment of the alert. */
  shows: 'image' | string;
  /** [earliest, latest] wait before each retry, when it is the policy's own backoff. */
  waits?: Array<[number, number]>;
}

const ROWS: FaultRow[] = [
  { name: '503 twice, then the image', faults: [{ status: 503, times: 2 }], requests: 3, shows: 'image', waits: [backoff(1), backoff(2)] },
  { name: '408, then the image', faults: [{ status: 408 }], requests: 2, shows: 'image', waits: [backoff(1)] },
  { name: '500 then 504, then the image', faults: [{ status: 500 }, { status: 504 }], requests: 3, shows: 'image' },
  { name: 'a connection reset, then the image', faults: [{ reset: true }], requests: 2, shows: 'image', waits: [backoff(1)] },
  {
    name: '502 on every try',
    faults: [{ status: 502, times: 3 }],
    requests: 3,
    shows: 'Glean had a problem answering (HTTP 502). Try again later.',
  },
  {
    name: 'a connection reset on every try',
    faults: [{ reset: true, times: 3 }],
    requests: 3,
    shows: 'Glean could not be reached. Check your network connection and the instance in Options. Try again later.',
  },
  {
    name: '429 without Retry-After on every try',
    faults: [{ status: 429, times: 3 }],
    requests: 3,
    shows: 'Glean is rate limiting requests. Try again later.',
  },
  {
    name: '429 asking for a wait beyond the popup budget',
    faults: [{ status: 429, retryAfter: '30' }],
    requests: 1,
    shows: 'Glean is rate limiting requests. Try again in 30 s.',
  },
  { name: '400', faults: [{ status: 400 }], requests: 1, shows: 'Glean refused this lookup as invalid (400).' },
  { name: '401', faults: [{ status: 401, body: 'unauthorized' }], requests: 1, shows: 'Glean rejected the API token. Check it in Options.' },
  {
    name: '403 (with an error page that echoes the request)',
    faults: [{ status: 403, body: '<h1>Forbidden</h1><pre>Authorization: Bearer TOKEN</pre>', contentType: 'text/html' }],
    requests: 1,
    shows: 'The API token may lack the permission or scope for images',
  },
  {
    name: 'a 200 with a sign-in page instead of an image',
    faults: [{ status: 200, body: '<!doctype html><title>Sign in</title>', contentType: 'text/html' }],
    requests: 1,
    shows: 'Glean answered with text/html instead of an image, which usually means a sign-in page.',
  },
  {
    name: 'a 200 with JSON instead of an image',
    faults: [{ status: 200, body: '{"images":[]}', contentType: 'application/json' }],
    requests: 1,
    shows: 'Glean answered with application/json instead of an image. Check the instance in Options.',
  },
  { name: '404 (no fault: the sandbox has no such key)', faults: [], requests: 1, shows: 'Glean has no image for this key or these details.' },
];

for (const row of ROWS) {
  test(`lookup: ${row.name} → ${row.requests} request(s), ${row.shows === 'image' ? 'the image' : 'an alert'}`, async () => {
    for (const fault of row.faults) {
      sandbox.fault('body' in fault && fault.body ? { ...fault, body: fault.body.replace('TOKEN', sandbox.token) } : fault);
    }
    const requests = requestsFrom(sandbox);
    // Failures ask for keys never seen before, so no cached copy can stand in for the alert.
    const key = row.shows === 'image' ? sampleKey() : `unknown-${crypto.randomUUID()}`;
    const { popup, form } = await lookUp(key);

    const outcome = await outcomeOf(form);
    if (row.shows === 'image') assert.deepEqual(outcome, { image: true });
    else assert.ok('alert' in outcome && outcome.alert.includes(row.shows), `the popup shows ${JSON.stringify(outcome)}`);

    const seen = requests.all();
    assert.equal(seen.length, row.requests, `requests: ${JSON.stringify(seen.map((r) => r.status))}`);
    for (const request of seen) {
      assert.deepEqual(request.query, { key });
      assert.equal(request.headers.authorization, `Bearer ${sandbox.token}`);
    }
    row.waits?.forEach((window, i) => assertWithin(gaps(seen)[i] ?? NaN, window, `wait before retry ${i + 1}`));
    assert.ok(!(await popup.content()).includes(sandbox.token), 'the token never reaches the popup');
  });
}

interface RetryAfterRow {
  name: string;
  /** The fault, and the earliest time (Date.now()) the retry may arrive given the first try's arrival. */
  fault(): { fault: Fault; earliest: (firstAt: number) => number };
}

const RETRY_AFTER_ROWS: RetryAfterRow[] = [
  { name: 'Retry-After in seconds', fault: () => ({ fault: { status: 429, retryAfter: '1' }, earliest: (at) => at + 1_000 }) },
  {
    name: 'Retry-After as an HTTP date',
    fault: () => {
      // A whole second, since HTTP dates have no fractions; 1.5-2.5 s ahead, well within the budget.
      const date = Math.ceil((Date.now() + 1_500) / 1_000) * 1_000;
      return { fault: { status: 429, retryAfter: new Date(date).toUTCString() }, earliest: () => date };
    },
  },
  { name: 'retry-after-ms', fault: () => ({ fault: { status: 429, retryAfterMs: 1_200 }, earliest: (at) => at + 1_200 }) },
];

for (const row of RETRY_AFTER_ROWS) {
  test(`lookup: 429 with ${row.name} → waits as asked, then the image`, async () => {
    const { fault, earliest } = row.fault();
    sandbox.fault(fault);
    const requests = requestsFrom(sandbox);
    const { form } = await lookUp(sampleKey());

    assert.deepEqual(await outcomeOf(form), { image: true });
    const [first, second, ...more] = requests.all();
    assert.ok(first && second, 'two requests');
    assert.deepEqual(more, []);
    assert.equal(first.status, 429);
    assert.equal(second.status, 200);
    const from = earliest(first.at);
    // Retry-After replaces the backoff (no jitter is added), so the retry comes just after the time asked.
    assertWithin(second.at - first.at, [from - first.at, from - first.at], 'wait before the retry');
  });
}

test('lookup: before any settings → an alert that points to Options, and nothing sent', async () => {
  const requests = requestsFrom(sandbox);
  const popup = await extension.openPage('popup.html');
  pages.push(popup);
  const form = lookUpForm(popup);
  await form.getByRole('textbox', { name: 'Key' }).fill(`unconfigured-${crypto.randomUUID()}`);
  await form.getByRole('button', { name: 'Look up' }).click();
  assert.deepEqual(await outcomeOf(form), { alert: 'Sign in with Glean, or set an API token, in Options.' });
  assert.equal(requests.all().length, 0);
});

interface HungLookup {
  outcome: Outcome;
  /** From the request's arrival at the sandbox to the message in the popup. */
  tookMs: number;
  statuses: Array<RecordedRequest['status']>;
}

/**
 * A lookup that gets no answer lasts the client's whole per-try timeout (15 s by default), about as
 * long as all the other tests here together. It is the product's real timeout (shortening it for tests
 * would take a test-only path in the product), so instead this one runs from the file's start, beside
 * the others, in a sandbox and browser of its own; its test then checks what it saw.
 */
async function hungLookup(): Promise<HungLookup> {
  const own = await startSandbox({ port: 0 });
  let browser: Extension | undefined;
  try {
    browser = await launchExtension();
    own.fault({ hang: true });
    const [sample] = own.samples;
    assert.ok(sample);
    const { popup, form } = await lookUpIn(browser, own, sample.key);
    const outcome = await outcomeOf(form, DEFAULT_TIMEOUTS.lookupMs + 15_000);
    const [first] = own.requests;
    if (!first) {
      // Whether the page had a worker to answer its request, and in what state that worker was.
      const worker = await popup.evaluate(async () => ({
        controlled: navigator.serviceWorker.controller?.state ?? 'no controller',
        registration: (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'no active worker',
      }));
      assert.fail(`the lookup never reached the sandbox: the popup showed ${JSON.stringify(outcome)}, its worker ${JSON.stringify(worker)}`);
    }
    return { outcome, tookMs: Date.now() - first.at, statuses: own.requests.map((r) => r.status) };
  } finally {
    await browser?.close();
    await own.close();
  }
}

test('lookup: no answer at all → the per-try timeout, then "took too long", 1 request', async () => {
  assert.ok(hung);
  const { outcome, tookMs, statuses } = await hung;
  assert.deepEqual(outcome, { alert: 'Glean took too long to answer. Try again later.' });
  // The timeout is longer than the retry budget, so a hung lookup is reported, never retried.
  assert.ok(DEFAULT_TIMEOUTS.lookupMs > LOOKUP_RETRY.budgetMs);
  assert.deepEqual(statuses, ['hang']);
  // The timer starts as the request leaves, a moment before the sandbox records its arrival.
  // Over 15 s a busy machine adds more than the usual slack (16.6 s was seen at load 15); a retry would
  // add a whole second try, so the upper bound still tells the timeout from a retry.
  assertWithin(tookMs, [DEFAULT_TIMEOUTS.lookupMs - 250, DEFAULT_TIMEOUTS.lookupMs + 2_000], 'time to the message');
});

test('one image asked for 20 times at once by a page makes one GET to Glean, and every ask gets it', async () => {
  const popup = await extension.openPage('popup.html');
  pages.push(popup);
  await saveSettings(popup, { instance: sandbox.url, token: sandbox.token });
  const requests = requestsFrom(sandbox);
  const key = sampleKey();
  // As a page full of the same avatar asks: its fetches reach the worker one after another, some
  // after the first GET has already answered.
  const sizes = await popup.evaluate(
    (address) => Promise.all(Array.from({ length: 20 }, async () => (await (await fetch(address)).blob()).size)),
    imageAddress({ key }),
  );
  assert.equal(new Set(sizes).size, 1);
  assert.ok((sizes[0] ?? 0) > 0);
  assert.deepEqual(requests.all().map((request) => request.query.key), [key]);
});

test('a popup the worker does not control still looks an image up, from Glean, through the active worker', async () => {
  // A page opened while the worker was installing can stay uncontrolled (src/worker/serveImageByPort.ts).
  // A reload that bypasses the cache (Shift+Reload) gives such a page at will: it is never controlled
  // (https://w3c.github.io/ServiceWorker/#control-and-use-window-client, "force reload").
  const popup = await extension.openPage('popup.html');
  pages.push(popup);
  await saveSettings(popup, { instance: sandbox.url, token: sandbox.token });
  const cdp = await popup.context().newCDPSession(popup);
  await cdp.send('Page.reload', { ignoreCache: true });
  await popup.waitForLoadState('load');
  await cdp.detach();
  assert.equal(await popup.evaluate(() => navigator.serviceWorker.controller), null, 'the reloaded popup is not controlled');
  const requests = requestsFrom(sandbox);
  const form = lookUpForm(popup);
  const key = sampleKey();
  await form.getByRole('textbox', { name: 'Key' }).fill(key);
  await form.getByRole('button', { name: 'Look up' }).click();
  assert.deepEqual(await outcomeOf(form), { image: true });
  assert.deepEqual(requests.all().map((request) => request.query.key), [key]);
});

/// <reference types="chrome" />
/**
 * Signed in with Glean (issue 12): what the sign-in costs a lookup, and how a refresh behaves under load.
 * - A cache-miss lookup signed in against the same lookup with an API token: two bench browsers, each
 *   with its own sandbox, one signed in (the sandbox's "Allow"), one with the API token; runs
 *   interleaved between them, so a machine slowing down weighs on both alike.
 * - 50 lookups of different images at once, just after the sandbox expired the access token: every one
 *   meets the 401, and the worker must make one refresh request for all of them.
 */
import type { Page } from 'playwright-core';
import type { RecordedRequest } from '../sandbox/server.ts';
import { imageAddress } from '../src/shared/imageAddress.ts';
import { openOptions } from '../test/harness/options.ts';
import { signInFromOptions } from '../test/harness/signIn.ts';
import { startBenchBrowser, type BenchBrowser } from './benchBrowser.ts';
import { popupLookUp, seedImages } from './lookups.ts';
import { CHEAP_RUNS, figure, RUNS, sample, sampleInterleaved, series, WARM_UPS, type Figure, type Row } from './measure.ts';

const CONCURRENT_LOOKUPS = 50;

/** Signs the bench browser in with "Sign in with Glean" and "Allow", then drops its API token: only the sign-in is left. */
async function signInInstead(bench: BenchBrowser): Promise<void> {
  const options = await openOptions(bench.extension);
  try {
    await signInFromOptions(bench.extension, options);
    const reply = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'settings/removeToken', payload: null }));
    if (!reply?.ok) throw new Error(`removing the token failed: ${JSON.stringify(reply)}`);
  } finally {
    await options.close();
  }
}

/** One popup lookup of a fresh image, checked to have gone to Glean with the expected credential. */
async function timedLookUp(bench: BenchBrowser, key: string, credential: RecordedRequest['credential']): Promise<number> {
  const { ms } = await popupLookUp(bench, key);
  const get = bench.sandbox.requests.find((request) => request.operation === 'images' && request.query.key === key);
  if (get?.credential !== credential || get?.status !== 200) throw new Error(`the lookup of ${key} went with ${get?.credential} (${get?.status}), not ${credential}`);
  return ms;
}

async function measureSignedInMiss(signedIn: BenchBrowser, withToken: BenchBrowser): Promise<Figure> {
  const total = WARM_UPS + CHEAP_RUNS;
  const signedInKeys = await seedImages(signedIn, 'bench-signed-in-miss', total);
  const tokenKeys = await seedImages(withToken, 'bench-token-miss', total);
  const runs = await sampleInterleaved(
    (index) => timedLookUp(signedIn, signedInKeys[index] ?? '', 'glean-oauth'),
    (index) => timedLookUp(withToken, tokenKeys[index] ?? '', 'api-token'),
    CHEAP_RUNS,
  );
  return figure({
    id: 'signed-in-miss',
    title: 'Cache-miss lookup signed in with Glean (click → 512×512 PNG decoded)',
    unit: 'ms',
    measured: series('popup, signed in (access token)', runs.measured),
    baseline: series('the same lookup with an API token', runs.baseline),
    goal: '≤ 1.1× an API-token lookup',
    maxRatio: 1.1,
  });
}

/** Fires one lookup per key at once from an extension page, by address as the popup asks; answers how many succeeded, and when the last did. */
function concurrentLookUps(page: Page, keys: string[]): Promise<{ ok: number; ms: number; failures: string[] }> {
  return page.evaluate(async (addresses) => {
    const started = performance.now();
    const responses = await Promise.all(addresses.map((address) => fetch(address)));
    const ms = performance.now() - started;
    const failed = responses.filter((response) => !response.ok);
    const failures = await Promise.all(failed.slice(0, 3).map(async (response) => `${response.status} ${await response.text()}`));
    return { ok: responses.length - failed.length, ms, failures };
  }, keys.map((key) => imageAddress({ key }, { session: crypto.randomUUID() })));
}

async function measureExpiredRefresh(signedIn: BenchBrowser): Promise<Figure> {
  const { sandbox } = signedIn;
  const page = await signedIn.open('blank.html');
  const allAnswered: number[] = [];
  const failures: string[] = [];
  try {
    const refreshes = await sample(async (index) => {
      const keys = await seedImages(signedIn, `bench-expired-${index}`, CONCURRENT_LOOKUPS);
      sandbox.oauth.expireAccessTokens();
      const before = sandbox.requests.length;
      const { ok, ms, failures: failed } = await concurrentLookUps(page, keys);
      if (index >= WARM_UPS) allAnswered.push(ms);
      if (ok !== CONCURRENT_LOOKUPS) failures.push(`run ${index}: ${CONCURRENT_LOOKUPS - ok} lookups failed, such as ${failed.join('; ')}`);
      return sandbox.requests.slice(before).filter((request) => request.oauth?.endpoint === 'token' && request.oauth.grantType === 'refresh_token').length;
    }, RUNS);
    return figure({
      id: 'expired-refresh',
      title: `${CONCURRENT_LOOKUPS} lookups at once with an expired access token → refresh requests`,
      unit: 'refreshes',
      measured: series(`refresh requests per ${CONCURRENT_LOOKUPS} lookups`, refreshes),
      baseline: series('the goal', refreshes.map(() => 1)),
      goal: '1 refresh',
      maxRatio: 1,
      met: refreshes.every((count) => count === 1) && failures.length === 0,
      notes: [`all ${CONCURRENT_LOOKUPS} answered (401, one refresh, retried) after: median ${series('', allAnswered).median.toFixed(0)} ms`, ...failures],
    });
  } finally {
    await page.close();
  }
}

/** Both figures, from two bench browsers of their own (started here, closed before returning). */
export async function measureSignIn(): Promise<Row[]> {
  const signedIn = await startBenchBrowser();
  try {
    const withToken = await startBenchBrowser();
    try {
      await signInInstead(signedIn);
      return [await measureSignedInMiss(signedIn, withToken), await measureExpiredRefresh(signedIn)];
    } finally {
      await withToken.close();
    }
  } finally {
    await signedIn.close();
  }
}

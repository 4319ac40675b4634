/// <reference types="chrome" />
/**
 * Lookups that miss the cache: the popup's (click → image decoded) against a direct fetch of the same
 * kind of image from an extension page, and 50 identical lookups at once against the one GET they need.
 * Every run uses an image put into the sandbox just for it, so nothing is cached anywhere.
 */
import type { Page } from 'playwright-core';
import { samplePng } from '../sandbox/png.ts';
import { putInSandbox } from '../test/harness/imageCache.ts';
import { lookUpForm } from '../test/harness/popup.ts';
import type { BenchBrowser } from './benchBrowser.ts';
import { CHEAP_RUNS, figure, RUNS, sample, sampleInterleaved, series, WARM_UPS, type Figure } from './measure.ts';

/** Larger than the 256 px thumbnail side, so a miss pays for the thumbnail as it would for a photo. */
const IMAGE_SIDE = 512;
const IDENTICAL_LOOKUPS = 50;

interface LookUpWindow {
  /** `clicked` and `decoded` on the page's clock; `clickedAt` in epoch ms, to compare with the sandbox's log. */
  benchLookUp?: { clicked: number; clickedAt: number; decoded?: number };
}

/** Puts one fresh image per run into the sandbox (before any timing) and answers their keys. */
export async function seedImages(bench: BenchBrowser, prefix: string, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let n = 0; n < count; n++) {
    const id = `${prefix}-${n}`;
    keys.push(await putInSandbox(bench.sandbox, id, samplePng(id, IMAGE_SIDE, IMAGE_SIDE)));
  }
  return keys;
}

/**
 * Runs in the popup before the click: notes when "Look up" is clicked and when the result's image has
 * decoded, both on the page's clock. Self-contained, without named inner functions (see readyProbe in
 * popupReady.ts: tsx would wrap them in a helper the page lacks).
 */
function armLookUpTimer(): void {
  const probeWindow = window as LookUpWindow;
  const button = Array.from(document.querySelectorAll('form button')).find((element) => element.textContent?.trim() === 'Look up');
  if (!button) throw new Error('no "Look up" button');
  button.addEventListener('click', () => (probeWindow.benchLookUp = { clicked: performance.now(), clickedAt: Date.now() }), {
    capture: true,
    once: true,
  });
  const observer = new MutationObserver(() => {
    const image = document.querySelector('img[alt^="Glean image"]');
    const timing = probeWindow.benchLookUp;
    if (!(image instanceof HTMLImageElement) || !timing) return;
    observer.disconnect();
    image.decode().then(
      () => (timing.decoded = performance.now()),
      () => (timing.decoded = NaN),
    );
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
}

interface PopupLookUp {
  /** Click → image decoded. */
  ms: number;
  /** When the click happened, in epoch ms. */
  clickedAt: number;
}

/** One lookup in a freshly opened popup, as a person would do it. */
export async function popupLookUp(bench: BenchBrowser, key: string): Promise<PopupLookUp> {
  const popup = await bench.open('popup.html');
  try {
    const form = lookUpForm(popup);
    await form.getByRole('textbox', { name: 'Key' }).fill(key);
    await popup.evaluate(armLookUpTimer);
    await form.getByRole('button', { name: 'Look up' }).click();
    const timing = await popup.waitForFunction(() => {
      const timing = (window as LookUpWindow).benchLookUp;
      return timing?.decoded !== undefined ? timing : undefined;
    });
    const { clicked, clickedAt, decoded = NaN } = (await timing.jsonValue()) ?? { clicked: NaN, clickedAt: NaN };
    // Only a miss that went to Glean counts (a lookup that failed would time an error message).
    await form.getByRole('status').filter({ hasText: 'from Glean' }).waitFor({ timeout: 15_000 });
    if (Number.isNaN(decoded)) throw new Error(`the image of ${key} did not decode`);
    return { ms: decoded - clicked, clickedAt };
  } finally {
    await popup.close();
  }
}

/** The least a lookup can cost: fetch the image, decode it and show it, from an extension page. */
async function directFetch(page: Page, url: string, token: string): Promise<number> {
  return page.evaluate(
    async ({ url, token }) => {
      const started = performance.now();
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'image/*' }, cache: 'no-store', credentials: 'omit' });
      if (!response.ok) throw new Error(`direct fetch answered ${response.status}`);
      const image = new Image();
      image.alt = 'direct';
      image.src = URL.createObjectURL(await response.blob());
      document.body.append(image);
      await image.decode();
      return performance.now() - started;
    },
    { url, token },
  );
}

export async function measureCacheMiss(bench: BenchBrowser): Promise<Figure> {
  const total = WARM_UPS + CHEAP_RUNS;
  const popupKeys = await seedImages(bench, 'bench-miss-popup', total);
  const directKeys = await seedImages(bench, 'bench-miss-direct', total);
  const imageUrl = (key: string): string => `${bench.sandbox.url}/rest/api/v1/images?key=${encodeURIComponent(key)}`;
  // Where the popup's time goes: before its GET reaches Glean, and after (the worker's and the page's work).
  const beforeGet: number[] = [];
  const runs = await sampleInterleaved(
    async (index) => {
      const key = popupKeys[index] ?? '';
      const { ms, clickedAt } = await popupLookUp(bench, key);
      const get = bench.sandbox.requests.find((request) => request.operation === 'images' && request.query.key === key);
      if (get && index >= WARM_UPS) beforeGet.push(get.at - clickedAt);
      return ms;
    },
    async (index) => {
      // A fresh page each run, as the popup is fresh each run.
      const page = await bench.open('blank.html');
      try {
        return await directFetch(page, imageUrl(directKeys[index] ?? ''), bench.sandbox.token);
      } finally {
        await page.close();
      }
    },
    CHEAP_RUNS,
  );
  return figure({
    id: 'cache-miss',
    title: `Cache-miss lookup (click → ${IMAGE_SIDE}×${IMAGE_SIDE} PNG decoded)`,
    unit: 'ms',
    measured: series('popup, image not cached', runs.measured),
    baseline: series('direct fetch + decode from an extension page', runs.baseline),
    goal: '≤ 1.3× direct fetch',
    maxRatio: 1.3,
    notes: beforeGet.length > 0 ? [`click → the GET reaches the sandbox: median ${series('', beforeGet).median.toFixed(0)} ms (the rest is after the GET)`] : [],
  });
}

/** Fires `count` identical lookups at once from an extension page; answers how many succeeded, and when the last did. */
async function identicalLookUps(page: Page, key: string, count: number): Promise<{ ok: number; ms: number }> {
  return page.evaluate(
    async ({ key, count }) => {
      const started = performance.now();
      const replies = await Promise.all(Array.from({ length: count }, () => fetch(`/glean/image?key=${encodeURIComponent(key)}`).then((response) => response.ok)));
      const ms = performance.now() - started;
      return { ok: replies.filter(Boolean).length, ms };
    },
    { key, count },
  );
}

export async function measureIdenticalLookUps(bench: BenchBrowser): Promise<Figure> {
  const keys = await seedImages(bench, 'bench-identical', WARM_UPS + RUNS);
  const page = await bench.open('blank.html');
  const failures: string[] = [];
  const allAnswered: number[] = [];
  try {
    const gets = await sample(async (index) => {
      const key = keys[index] ?? '';
      const { ok, ms } = await identicalLookUps(page, key, IDENTICAL_LOOKUPS);
      if (index >= WARM_UPS) allAnswered.push(ms);
      if (ok !== IDENTICAL_LOOKUPS) failures.push(`run ${index}: ${IDENTICAL_LOOKUPS - ok} lookups failed`);
      return bench.sandbox.requests.filter((request) => request.operation === 'images' && request.query.key === key).length;
    });
    return figure({
      id: 'identical-lookups',
      title: `${IDENTICAL_LOOKUPS} identical lookups at once (image not cached) → GETs to Glean`,
      unit: 'GETs',
      measured: series(`GETs per ${IDENTICAL_LOOKUPS} lookups`, gets),
      baseline: series('the goal', gets.map(() => 1)),
      goal: '1 GET',
      maxRatio: 1,
      met: gets.every((count) => count === 1),
      notes: [`all ${IDENTICAL_LOOKUPS} answered after: median ${series('', allAnswered).median.toFixed(0)} ms`, ...failures],
    });
  } finally {
    await page.close();
  }
}

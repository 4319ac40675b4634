/// <reference types="chrome" />
/**
 * Popup ready as people open it: the real toolbar popup, opened with `action.openPopup()` over a web
 * page and reached over CDP (test/e2e/realPopup.test.ts does the same). An init script cannot be put
 * in a page that is not known before it opens, so both sides are timed by the page's own navigation
 * entry: navigation start → DOMContentLoaded ended, which for the popup is after its module script ran
 * and hydrated the prerendered markup (src/popup/index.tsx). Baseline: the extension's blank page,
 * made the action's popup for its runs (`action.setPopup`) and opened the same way.
 */
import { chromium, type Page } from 'playwright-core';
import { eventually } from '../test/harness/eventually.ts';
import type { BenchBrowser } from './benchBrowser.ts';
import { CHEAP_RUNS, figure, sampleInterleaved, series, type Figure } from './measure.ts';

interface PopupTiming {
  loaded: number;
  /** First contentful paint; none for a blank page. */
  paint: number | undefined;
}

/** Opens `path` as the toolbar popup, reads its timing once DOMContentLoaded has ended, and closes it. */
async function openAsToolbarPopup(bench: BenchBrowser, over: Page, path: string): Promise<PopupTiming> {
  const url = `chrome-extension://${bench.extension.id}/${path}`;
  const worker = await bench.extension.worker();
  await over.bringToFront();
  await worker.evaluate(async (popup) => {
    await chrome.action.setPopup({ popup });
    await chrome.action.openPopup();
  }, path);
  // A connection made before the popup opened does not list it.
  const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${bench.extension.debuggingPort}`);
  try {
    const popup = await eventually(`the toolbar popup ${path}`, () =>
      cdp
        .contexts()
        .flatMap((context) => context.pages())
        .find((page) => page.url() === url && !page.isClosed()),
    );
    await popup.waitForFunction(() => ((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? 0) > 0);
    const timing = await popup.evaluate(() => ({
      loaded: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    }));
    await popup.close();
    return timing;
  } finally {
    await cdp.close();
  }
}

export async function measureToolbarPopupReady(bench: BenchBrowser): Promise<Figure> {
  const over = await bench.extension.context.newPage();
  await over.goto(`${bench.sandbox.url}/_sandbox/requests`);
  const paints: number[] = [];
  try {
    const runs = await sampleInterleaved(
      async () => {
        const { loaded, paint } = await openAsToolbarPopup(bench, over, 'popup.html');
        if (paint !== undefined) paints.push(paint);
        return loaded;
      },
      async () => (await openAsToolbarPopup(bench, over, 'blank.html')).loaded,
      CHEAP_RUNS,
    );
    return figure({
      id: 'toolbar-popup-ready',
      title: 'Popup ready as the real toolbar popup (navigation → DOMContentLoaded: hydrated)',
      unit: 'ms',
      measured: series('popup.html as the toolbar popup', runs.measured),
      baseline: series('blank page of the same extension as the toolbar popup', runs.baseline),
      goal: '≤ 1.3× blank page',
      maxRatio: 1.3,
      notes: paints.length > 0 ? [`popup first contentful paint (prerendered markup): median ${series('', paints.slice(-CHEAP_RUNS)).median.toFixed(1)} ms`] : [],
    });
  } finally {
    await bench.extension.worker().then((worker) => worker.evaluate(() => chrome.action.setPopup({ popup: 'popup.html' })));
    await over.close();
  }
}

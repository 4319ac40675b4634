/**
 * Popup ready: from navigation start until the "Look up image" form's "Look up" button is in the page
 * and enabled, then painted (the next animation frame). Baseline: a blank page of the same extension,
 * ready at DOMContentLoaded and its next frame. Both are timed inside the page, from its own
 * navigation start, so neither pays for Playwright's polling or round trips.
 */
import type { BenchBrowser } from './benchBrowser.ts';
import { CHEAP_RUNS, figure, sampleInterleaved, series, type Figure } from './measure.ts';

interface ReadyWindow {
  benchReady?: { dom: number; frame: number };
  /** DOMContentLoaded: after the page's module scripts ran, so for the popup after it hydrated (src/popup/index.tsx). */
  benchLoaded?: number;
}

/**
 * Runs at document start in the page under test. Playwright sends its source text, so it must be
 * self-contained and must not declare named inner functions: tsx wraps those in a `__name` helper
 * that the page does not have.
 */
function readyProbe(): void {
  const probeWindow = window as ReadyWindow;
  document.addEventListener('DOMContentLoaded', () => (probeWindow.benchLoaded = performance.now()));
  if (location.pathname.endsWith('/blank.html')) {
    document.addEventListener('DOMContentLoaded', () => {
      const dom = performance.now();
      requestAnimationFrame(() => (probeWindow.benchReady = { dom, frame: performance.now() }));
    });
    return;
  }
  const observer = new MutationObserver(() => {
    const usable = Array.from(document.querySelectorAll('form button')).some(
      (button) => button instanceof HTMLButtonElement && button.textContent?.trim() === 'Look up' && !button.disabled,
    );
    if (!usable) return;
    observer.disconnect();
    const dom = performance.now();
    requestAnimationFrame(() => (probeWindow.benchReady = { dom, frame: performance.now() }));
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

/** Milliseconds from navigation start to the painted ready state of one fresh tab, and to DOMContentLoaded. */
async function timeToReady(bench: BenchBrowser, path: string): Promise<{ dom: number; frame: number; loaded: number }> {
  const page = await bench.extension.context.newPage();
  try {
    await page.addInitScript(readyProbe);
    await page.goto(`chrome-extension://${bench.extension.id}/${path}`);
    const ready = await page.waitForFunction(() => {
      const { benchReady, benchLoaded } = window as ReadyWindow;
      return benchReady && benchLoaded !== undefined ? { ...benchReady, loaded: benchLoaded } : undefined;
    });
    return (await ready.jsonValue()) ?? { dom: NaN, frame: NaN, loaded: NaN };
  } finally {
    await page.close();
  }
}

export async function measurePopupReady(bench: BenchBrowser): Promise<Figure> {
  const domTimes = { popup: [] as number[], blank: [] as number[] };
  const hydrated: number[] = [];
  const runs = await sampleInterleaved(
    async () => {
      const { dom, frame, loaded } = await timeToReady(bench, 'popup.html');
      domTimes.popup.push(dom);
      hydrated.push(loaded);
      return frame;
    },
    async () => {
      const { dom, frame } = await timeToReady(bench, 'blank.html');
      domTimes.blank.push(dom);
      return frame;
    },
    CHEAP_RUNS,
  );
  const medianOf = (values: number[]): number => series('', values.slice(-runs.measured.length)).median;
  return figure({
    id: 'popup-ready',
    title: 'Popup ready (navigation → "Look up" usable and painted)',
    unit: 'ms',
    measured: series('popup.html', runs.measured),
    baseline: series('blank page of the same extension', runs.baseline),
    goal: '≤ 1.3× blank page',
    maxRatio: 1.3,
    notes: [
      `before paint (DOM ready): popup ${medianOf(domTimes.popup).toFixed(1)} ms, blank ${medianOf(domTimes.blank).toFixed(1)} ms`,
      // The first paint is markup rendered at build time (scripts/prerender.ts); a click counts once Preact has hydrated it.
      `popup hydrated (DOMContentLoaded, after its script ran): ${medianOf(hydrated).toFixed(1)} ms`,
    ],
  });
}

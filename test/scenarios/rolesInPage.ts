/**
 * Finds an element by role and accessible name inside the page, for the Firefox driver (./firefox.ts),
 * as Playwright's getByRole does for Chromium (./chromium.ts): with a JavaScript implementation of
 * the W3C rules (https://www.w3.org/TR/accname-1.2/, https://www.w3.org/TR/html-aam-1.0/), here
 * `dom-accessibility-api` (https://github.com/eps1lon/dom-accessibility-api, Testing Library's).
 *
 * Why not puppeteer's `::-p-aria(...)`: over WebDriver BiDi it asks Firefox's accessibility tree
 * (`browsingContext.locateNodes`), 150 to 500 ms a query, and puppeteer asks again on every animation
 * frame while it waits. Found in the page, Firefox's dev-build scenarios took 20 CPU-seconds and 20 s
 * less (docs/TESTING.md, "Keeping the run short").
 */
import { buildSync } from 'esbuild';
import type { Page } from 'puppeteer-core';

/** The page's finder, set on its global by `FINDER_SOURCE` (see `giveFinder`). */
interface Finder {
  find(root: ParentNode, role: string, name: string): Element | null;
}
type WithFinder = typeof globalThis & { scenarioFinder?: Finder };

/** Bundled once per test process: the library and a `find` over it, as one script for the page. */
const FINDER_SOURCE = buildSync({
  stdin: {
    contents: `
      import { computeAccessibleName, getRole, isInaccessible } from 'dom-accessibility-api';
      globalThis.scenarioFinder = {
        find(root, role, name) {
          for (const element of root.querySelectorAll('*')) {
            if (getRole(element) === role && !isInaccessible(element) && computeAccessibleName(element) === name) return element;
          }
          return null;
        },
      };`,
    resolveDir: new URL('.', import.meta.url).pathname,
  },
  bundle: true,
  minify: true,
  format: 'iife',
  write: false,
}).outputFiles[0]!.text;

/**
 * Gives a loaded page the finder, until it navigates. Once loaded: Firefox runs no BiDi preload
 * script (`evaluateOnNewDocument`) in a moz-extension:// page, and the scenarios reload no page.
 */
export async function giveFinder(page: Page): Promise<void> {
  await page.evaluate(FINDER_SOURCE);
}

/**
 * In the page: under `root` (the document when null), the element of `role` named `name`, or null; or,
 * `absent` asked, whether there is none. One function for both because a function sent to a page must be
 * self-contained: it cannot call another.
 */
export function findInPage(root: ParentNode | null, role: string, name: string, absent = false): Element | boolean | null {
  const finder = (globalThis as WithFinder).scenarioFinder;
  if (!finder) throw new Error('this page has no scenario finder: was it given one (giveFinder), or has it navigated since?');
  const found = finder.find(root ?? document, role, name);
  return absent ? found === null : found;
}

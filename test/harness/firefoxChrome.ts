/**
 * Firefox's own browser windows (browser.xhtml, the privileged "chrome" documents that draw its
 * toolbars and doorhangers), reached over WebDriver BiDi: a Firefox started with
 * `--remote-allow-system-access` lists them to `browsingContext.getTree` with `"moz:scope": "chrome"`
 * and runs `script.callFunction` in them (https://bugzilla.mozilla.org/show_bug.cgi?id=1944568; tried
 * on Firefox ESR 153, headless and headed).
 * puppeteer-core has no public call for a raw BiDi command: its BiDi browser's `connection` sends one.
 */
import type { Browser } from 'puppeteer-core';

const BROWSER_WINDOW_URL = 'chrome://browser/content/browser.xhtml';

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

interface ContextTree {
  contexts: { context: string; url: string }[];
}

interface CallResult {
  type: 'success' | 'exception';
  result?: { type: string; value?: unknown };
  exceptionDetails?: { text: string };
}

function connectionOf(browser: Browser): BidiConnection {
  const connection = (browser as unknown as { connection?: Partial<BidiConnection> }).connection;
  if (typeof connection?.send !== 'function') throw new Error('puppeteer-core no longer exposes its BiDi connection as `browser.connection`');
  return connection as BidiConnection;
}

/**
 * Runs `fn` with `args` in each browser window of `browser`, and gives what each returned, window by
 * window. `fn` runs in the chrome document, so it must stand alone: no closures, and no inner named
 * functions (tsx would wrap them in a `__name` helper the window lacks). Arguments are strings;
 * results travel as JSON.
 */
export async function inBrowserWindows<T>(browser: Browser, fn: (...args: string[]) => T, ...args: string[]): Promise<T[]> {
  const connection = connectionOf(browser);
  const { result } = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const windows = (result as ContextTree).contexts.filter((context) => context.url === BROWSER_WINDOW_URL);
  return Promise.all(
    windows.map(async ({ context }) => {
      const { result } = await connection.send('script.callFunction', {
        functionDeclaration: `(...args) => JSON.stringify((${String(fn)})(...args))`,
        arguments: args.map((value) => ({ type: 'string', value })),
        target: { context },
        awaitPromise: false,
        resultOwnership: 'none',
      });
      const call = result as CallResult;
      if (call.type === 'exception') throw new Error(`in Firefox's browser window: ${call.exceptionDetails?.text ?? 'an exception'}`);
      return JSON.parse(String(call.result?.value)) as T;
    }),
  );
}

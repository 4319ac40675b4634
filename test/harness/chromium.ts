/**
 * Launches Debian's Chromium with a build of the extension in a fresh profile, the way
 * the project tried and timed on Debian (see test/harness/xvfb.ts for the headed parts), and hands back the extension's id, its worker and page helpers.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { chromiumNameArgs, type HttpsFront } from './httpsFront.ts';

export const root = new URL('../..', import.meta.url).pathname;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** How every test's Chromium runs, here and in the scenarios' browser (test/scenarios/chromium.ts). */
export const QUIET_CHROMIUM: readonly string[] = [
  // The machine has no network: background services would only fail noisily.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  // Each new tab starts on about:blank in a renderer of its own, thrown away when the tab goes to
  // an extension page (an extension always has a process of its own). Under a soft limit new tabs
  // reuse a process instead, while site isolation still keeps each site, and the extension, in its
  // own (https://chromium.googlesource.com/chromium/src/+/main/docs/process_model_and_site_isolation.md).
  // Measured here: 20 page opens took a fifth less browser CPU (docs/TESTING.md).
  '--renderer-process-limit=2',
];

export interface Extension {
  context: BrowserContext;
  id: string;
  profileDir: string;
  /** The extension's service worker (the same handle survives a stop; see `wakeWorker`). */
  worker(): Promise<Worker>;
  /** Opens an extension page such as `popup.html` or `options.html` in an ordinary tab. */
  openPage(path: string): Promise<Page>;
  /** The DevTools port, when launched with `remoteDebugging` (to reach the real toolbar popup). */
  debuggingPort?: number;
  close(): Promise<void>;
}

export interface LaunchOptions {
  build?: string;
  /** An unpacked extension elsewhere (such as a copy from `copyBuild`); wins over `build`. */
  extensionDir?: string;
  headless?: boolean;
  remoteDebugging?: boolean;
  /** A profile to start again (a browser restart); the caller owns it, so close() keeps it. Default: a fresh one. */
  profileDir?: string;
  /** The browser's environment, such as a DISPLAY for a headed browser (see `startXvfb`). */
  env?: Record<string, string>;
  /**
   * HTTPS fronts whose names the browser resolves to them (./httpsFront.ts), such as the sandbox as
   * `acme-be.glean.com`: the store build (`build: 'chrome'`) reaches a server only by such a name.
   */
  fronts?: readonly HttpsFront[];
}

export async function launchExtension({
  build = 'chrome-dev',
  extensionDir,
  headless = true,
  remoteDebugging = false,
  env,
  fronts = [],
  profileDir: reusedProfile,
}: LaunchOptions = {}): Promise<Extension> {
  const profileDir = reusedProfile ?? (await mkdtemp(join(tmpdir(), 'glean-images-profile-')));
  // A private copy of the build: a rebuild while this browser runs (another test file, a person)
  // would otherwise swap the chunks under a loaded extension.
  if (!extensionDir) {
    extensionDir = join(profileDir, 'extension');
    await cp(join(root, 'dist', build), extensionDir, { recursive: true });
  }
  // Without developer mode, runtime.reload() leaves an unpacked extension disabled.
  // (A restarted profile keeps the Preferences the browser wrote.)
  await mkdir(join(profileDir, 'Default'), { recursive: true });
  const preferences = join(profileDir, 'Default', 'Preferences');
  if (!reusedProfile || !existsSync(preferences)) await writeFile(preferences, JSON.stringify({ extensions: { ui: { developer_mode: true } } }));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless,
    ...(env ? { env: { ...process.env, ...env } } : {}),
    args: [
      // Playwright always passes --disable-extensions; these two bring ours back.
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...QUIET_CHROMIUM,
      ...(remoteDebugging ? ['--remote-debugging-port=0'] : []),
      ...(fronts.length > 0 ? chromiumNameArgs(fronts) : []),
    ],
  });
  const firstWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(firstWorker.url()).host;
  let debuggingPort: number | undefined;
  if (remoteDebugging) {
    const [port] = (await readFile(join(profileDir, 'DevToolsActivePort'), 'utf8')).split('\n');
    debuggingPort = Number(port);
  }
  return {
    context,
    id,
    profileDir,
    ...(debuggingPort ? { debuggingPort } : {}),
    async worker() {
      return context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${id}/`)) ?? (await context.waitForEvent('serviceworker'));
    },
    async openPage(path: string) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${id}/${path}`);
      return page;
    },
    async close() {
      await context.close();
      if (!reusedProfile) await rm(profileDir, { recursive: true, force: true });
    },
  };
}

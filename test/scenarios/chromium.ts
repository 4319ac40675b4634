/// <reference types="chrome" />
/**
 * The scenario driver for Debian's Chromium, with Playwright.
 *
 * One browser serves every scenario of a file (one more, headed on Xvfb, those that need the real
 * menu or prompt); each scenario gets a fresh copy of the build loaded through CDP's `Extensions.loadUnpacked`
 * from a folder of its own, hence its own extension id, origin, storage and IndexedDB, and unloads it
 * after. Besides saving a launch per scenario, this avoids a wait of several seconds that a browser
 * started with `--load-extension` imposes on the first `storage.managed.get` (the settings' policy
 * read): measured 3 to 6 s after launch on Chromium 156, against about 0.2 s for a copy loaded later.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import { mayCaptureAnyTab } from '../harness/capture.ts';
import { CHROMIUM, QUIET_CHROMIUM, root } from '../harness/chromium.ts';
import { chromiumNameArgs, type HttpsFront } from '../harness/httpsFront.ts';
import { eventually } from '../harness/eventually.ts';
import { allowButton, type AllowButton } from '../harness/permissionPrompt.ts';
import { buildWithPolicy, canWritePolicy, MANAGED_POLICY_DIR, reloadPoliciesFor } from '../harness/policy.ts';
import { answerSignIn, type Answer } from '../harness/signIn.ts';
import { startXvfb, type Display } from '../harness/xvfb.ts';
import { asPattern, clipboardPngInPage, needsDisplay, type Build, type BrowserDriver, type ContainerRole, type ExtensionPage, type ImageMenuItem, type InPage, type LaunchRequest, type Scope, type ScenarioBrowser, type WebPage } from './driver.ts';

/** Long enough for a slow CI machine, short enough that a stuck wait fails the scenario, not the file. */
const ACTION_TIMEOUT_MS = 20_000;

class PlaywrightScope implements Scope {
  constructor(protected readonly root: Page | Locator) {}

  within(role: ContainerRole, name: string): Scope {
    return new PlaywrightScope(this.root.getByRole(role, { name, exact: true }));
  }
  async fill(label: string, value: string): Promise<void> {
    await this.root.getByLabel(label, { exact: true }).fill(value);
  }
  async select(label: string, value: string): Promise<void> {
    // A list box's accessible name ends with its chosen option's words ("Type (none)").
    await this.root.getByRole('combobox', { name: new RegExp(`^${asPattern(label).source}\\b`) }).selectOption(value);
  }
  async setInputFiles(label: string, paths: string | readonly string[]): Promise<void> {
    await this.root.getByLabel(label, { exact: true }).setInputFiles(typeof paths === 'string' ? paths : [...paths]);
  }
  async click(name: string): Promise<void> {
    await this.root.getByRole('button', { name, exact: true }).click();
  }
  async waitForButton(name: string): Promise<void> {
    await this.root.getByRole('button', { name, exact: true, disabled: false }).waitFor();
  }
  async waitForNoButton(name: string): Promise<void> {
    await this.root.getByRole('button', { name, exact: true }).waitFor({ state: 'detached' });
  }
  async waitForText(text: string | RegExp, role?: 'status' | 'alert', timeoutMs?: number): Promise<void> {
    const where = role ? this.root.getByRole(role) : 'goto' in this.root ? this.root.locator('body') : this.root;
    await where.filter({ hasText: asPattern(text) }).first().waitFor(timeoutMs === undefined ? {} : { timeout: timeoutMs });
  }
  async liveText(role: 'status' | 'alert'): Promise<string> {
    // An empty line is out of the layout but still a live region: found with the hidden ones.
    return (await this.root.getByRole(role, { includeHidden: true }).textContent()) ?? '';
  }
  fieldValue(label: string): Promise<string> {
    // A list box's accessible name ends with its chosen option's words, as in `select`.
    const listBox = this.root.getByRole('combobox', { name: new RegExp(`^${asPattern(label).source}\\b`) });
    return this.root.getByLabel(label, { exact: true }).or(listBox).inputValue();
  }
  async links(): Promise<string[]> {
    const links = this.root.getByRole('link');
    await links.first().waitFor();
    return links.evaluateAll((found) => found.map((link) => (link as HTMLAnchorElement).href));
  }
  async waitForImage(name: string | RegExp): Promise<number> {
    const image = this.root.getByRole('img', typeof name === 'string' ? { name, exact: true } : { name });
    await image.waitFor();
    return image.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth, () => 0));
  }
}

class ChromiumExtensionPage extends PlaywrightScope implements ExtensionPage {
  constructor(readonly page: Page) {
    super(page);
  }
  evaluate<A, T>(fn: InPage<A, T>, arg: A): Promise<T> {
    // Playwright types the argument as "unboxed" (handles replaced by values); ours are plain data.
    return this.page.evaluate<T, A>(fn as never, arg);
  }
  close(): Promise<void> {
    return this.page.close();
  }
}

class ChromiumWebPage implements WebPage {
  constructor(readonly page: Page) {}
  async imagesLoaded(): Promise<void> {
    await this.page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
  }
  visibleSize(): Promise<{ width: number; height: number }> {
    return this.page.evaluate(() => ({ width: Math.round(innerWidth * devicePixelRatio), height: Math.round(innerHeight * devicePixelRatio) }));
  }
}

function own<T>(value: unknown, type: new (...args: never[]) => T): T {
  if (!(value instanceof type)) throw new TypeError(`expected a page this driver opened (${type.name})`);
  return value;
}

/** A running Chromium that scenarios load their copies of the extension into. */
interface PooledBrowser {
  context: BrowserContext;
  /** The browser target's session: `Extensions.*` exist only there. */
  cdp: CDPSession;
  display: Display | undefined;
  profileDir: string;
}

async function startBrowser(headed: boolean, fronts: readonly HttpsFront[]): Promise<PooledBrowser> {
  const display = headed ? await startXvfb() : undefined;
  const profileDir = await mkdtemp(join(tmpdir(), 'glean-images-scenarios-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: !headed,
    ...(display ? { env: { ...process.env, DISPLAY: display.name } } : {}),
    // Playwright's --disable-extensions would refuse every extension; CDP may load them only with the
    // "unsafe extension debugging" switch.
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      '--enable-unsafe-extension-debugging',
      ...QUIET_CHROMIUM,
      ...(fronts.length > 0 ? chromiumNameArgs(fronts) : []),
    ],
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const browser = context.browser();
  if (!browser) throw new Error('no browser behind the persistent context');
  return { context, cdp: await browser.newBrowserCDPSession(), display, profileDir };
}

class ChromiumBrowser implements ScenarioBrowser {
  readonly name = 'Chromium';
  private readonly pages: Page[] = [];
  private readonly printed: string[] = [];
  private readonly began = Date.now();
  /** The copy's own console lines: its service worker's and its pages' (the browser serves other copies too). */
  private readonly heard = (message: ConsoleMessage): void => {
    const scope = `chrome-extension://${this.id}/`;
    const from = message.worker()?.url() ?? message.page()?.url() ?? '';
    if (from.startsWith(scope)) this.printed.push(`+${Date.now() - this.began} ms ${from.slice(scope.length)} ${message.type()}: ${message.text()}`);
  };
  constructor(
    private readonly pooled: PooledBrowser,
    private readonly id: string,
    /** Removes the copy (and its policy). */
    private readonly removeCopy: () => Promise<void>,
  ) {
    pooled.context.on('console', this.heard);
  }

  consoleLines(): readonly string[] {
    return this.printed;
  }

  private get context(): BrowserContext {
    return this.pooled.context;
  }

  private async newPage(): Promise<Page> {
    const page = await this.context.newPage();
    this.pages.push(page);
    return page;
  }

  async openExtensionPage(path: 'popup.html' | 'options.html'): Promise<ExtensionPage> {
    const page = await this.newPage();
    await page.goto(`chrome-extension://${this.id}/${path}`);
    return new ChromiumExtensionPage(page);
  }

  async openWebPage(url: string): Promise<WebPage> {
    const page = await this.newPage();
    await page.goto(url);
    return new ChromiumWebPage(page);
  }

  /** As Chrome does after 30 s idle: `ServiceWorker.stopAllWorkers`; resolved once ours reports "stopped". */
  async suspendBackground(): Promise<void> {
    const page = await this.context.newPage();
    try {
      const cdp = await this.context.newCDPSession(page);
      const scope = `chrome-extension://${this.id}/`;
      const stopped = new Promise<void>((resolve) => {
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          if (versions.some((version) => version.scriptURL.startsWith(scope) && version.runningStatus === 'stopped')) resolve();
        });
      });
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await stopped;
    } finally {
      await page.close();
    }
  }

  /**
   * Chrome refuses `permissions.remove` for the manifest's hosts ("You cannot remove required
   * permissions"); a person withholds them with "Site access: On click" in chrome://extensions, which
   * this does through that page's own API. It withholds every site, `pattern`'s included.
   */
  async withholdHostAccess(pattern: string): Promise<void> {
    await this.onExtensionsPage(
      ({ id }) => (globalThis as unknown as ExtensionsPage).chrome.developerPrivate.updateExtensionConfiguration({ extensionId: id, hostAccess: 'ON_CLICK' }),
      { id: this.id },
    );
    const page = await this.context.newPage();
    await page.goto(`chrome-extension://${this.id}/options.html`);
    const granted = await page.evaluate((origins) => chrome.permissions.contains({ origins }), [pattern]);
    await page.close();
    if (granted) throw new Error(`${pattern} is still granted after "Site access: On click"`);
  }

  /**
   * Headed, the prompt the click opened is answered as a person does (`answerPermissionPrompt`). Chrome's
   * permission prompt cannot be answered in headless mode, where it is not drawn: there the person's
   * "Allow" is given the other way Chrome offers, adding the site in chrome://extensions (what "Allow"
   * grants, too).
   */
  async allowPermissionPrompt(page: ExtensionPage, pattern: string): Promise<void> {
    if (this.pooled.display) return this.answerPermissionPrompt(page, 'allow');
    await this.onExtensionsPage(({ id, host }) => (globalThis as unknown as ExtensionsPage).chrome.developerPrivate.addHostPermission(id, host), { id: this.id, host: pattern });
  }

  /** Runs `action` in chrome://extensions, whose private `developerPrivate` API does what its switches do. */
  private async onExtensionsPage<A>(action: (arg: A) => Promise<void>, arg: A): Promise<void> {
    const page = await this.context.newPage();
    try {
      await page.goto(`chrome://extensions/?id=${this.id}`);
      await page.evaluate<void, A>(action as never, arg);
    } finally {
      await page.close();
    }
  }

  /**
   * Chrome's prompt ("<extension> has requested additional permissions", Deny and Allow) is a dialog
   * drawn inside the browser window over the tab, not a window of its own, so the display shows no
   * new window. It takes the keyboard focus from the page, which `document.hasFocus()` sees (with
   * Playwright's focus emulation off), but that is not enough: after the real context menu the page
   * has lost the focus before any prompt. So the keys also wait until the display's pixels show the
   * prompt (../harness/permissionPrompt.ts). Its focused, default button is **Deny**: Escape denies.
   * **Allow** is disabled for its first 500 ms on screen and Tab skips a disabled button, so
   * "Tab, Return" waits until Allow shows enabled. Sent at once, the keys missed the prompt or pressed
   * Deny: the right-click "Allow" failed 5 runs in 5 that way on a busy machine, and passed 10 in 10
   * with these waits. (The focus does not always come back to a web page after, so what the answer
   * did is for the scenario to check.)
   */
  async answerPermissionPrompt(target: WebPage | ExtensionPage, answer: 'allow' | 'deny'): Promise<void> {
    const display = this.requireDisplay();
    const page = target instanceof ChromiumWebPage || target instanceof ChromiumExtensionPage ? target.page : undefined;
    if (!page) throw new TypeError('expected a page this driver opened');
    // Playwright makes every page believe it has the focus: this page must tell the truth.
    const cdp = await this.context.newCDPSession(page);
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
    await page.waitForFunction(() => !document.hasFocus());
    await cdp.detach();
    const ready = (seen: AllowButton | undefined): boolean => (answer === 'allow' ? seen === 'enabled' : seen !== undefined);
    let seen: AllowButton | undefined;
    await eventually(
      answer === 'allow' ? 'the permission prompt with its Allow button enabled' : 'the permission prompt',
      async () => (ready((seen = allowButton(await display.screen()))) ? true : undefined),
      ACTION_TIMEOUT_MS,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last seen: ${seen === undefined ? 'no prompt' : `a prompt with Allow ${seen}`}`);
    });
    await display.key(...(answer === 'allow' ? ['Tab', 'Return'] : ['Escape']));
  }

  /** Chrome shows the sign-in window as a page of the browser's context (../harness/signIn.ts). */
  answerSignInWindow(answer: Answer): Promise<void> {
    return answerSignIn(this.context, answer);
  }

  /** Chrome groups two items under one named after the extension, just above "Inspect". */
  async chooseFromImageMenu(webPage: WebPage, selector: string, item: ImageMenuItem): Promise<void> {
    const display = this.requireDisplay();
    const { page } = own(webPage, ChromiumWebPage);
    // An earlier scenario's notification timing out over the menu would close it: they go first.
    await display.withoutPopups(20_000);
    await page.bringToFront();
    // Each key waits for its menu to show: keys pressed before it would go to the page.
    await display.opening(() => page.locator(selector).click({ button: 'right' }));
    await display.opening(() => display.key('Up', 'Up', 'Right'));
    if (item === 'Upload image to Glean…') await display.key('Down');
    await display.key('Return');
  }

  async pasteImage(extensionPage: ExtensionPage, path: string): Promise<void> {
    const { page } = own(extensionPage, ChromiumExtensionPage);
    const { readFile } = await import('node:fs/promises');
    await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })]);
    }, (await readFile(path)).toString('base64'));
    await page.mouse.click(5, 5);
    await page.keyboard.press('Control+V');
  }

  /** A trusted drag from outside the page: CDP's `Input.dispatchDragEvent` carries real files. */
  async dropFile(extensionPage: ExtensionPage, path: string): Promise<void> {
    const { page } = own(extensionPage, ChromiumExtensionPage);
    const cdp = await page.context().newCDPSession(page);
    const data = { items: [], files: [path], dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
      await cdp.send('Input.dispatchDragEvent', { type, x: 150, y: 150, data });
    }
  }

  async pasteText(extensionPage: ExtensionPage, text: string): Promise<void> {
    const { page } = own(extensionPage, ChromiumExtensionPage);
    await this.allowClipboard(page);
    await page.evaluate((text) => navigator.clipboard.writeText(text), text);
    await page.mouse.click(5, 5);
    await page.keyboard.press('Control+V');
  }

  async readClipboardText(extensionPage: ExtensionPage): Promise<string> {
    const { page } = own(extensionPage, ChromiumExtensionPage);
    await this.allowClipboard(page);
    return page.evaluate(() => navigator.clipboard.readText());
  }

  /** Headless too: Chromium's headless clipboard keeps images (re-encoded as PNG). */
  async readClipboardImage(extensionPage: ExtensionPage): Promise<Buffer | null> {
    const { page } = own(extensionPage, ChromiumExtensionPage);
    await this.allowClipboard(page);
    const base64 = await page.evaluate(clipboardPngInPage);
    return base64 === null ? null : Buffer.from(base64, 'base64');
  }

  /** The page in front, its window given the keyboard on the display, then the keys. */
  async pressShortcut(webPage: WebPage, shortcut: string): Promise<void> {
    const display = this.requireDisplay();
    const { page } = own(webPage, ChromiumWebPage);
    await page.bringToFront();
    await display.focusWindow(await page.title());
    await display.shortcut(shortcut);
  }

  /**
   * Chrome lets a page read the clipboard only with the person's leave (a prompt headless Chrome cannot
   * show), and write it outside a click only when focused: the test gives both. To every origin of this
   * test browser: CDP refuses a chrome-extension:// origin ("Permission can't be granted to opaque origins").
   */
  private async allowClipboard(page: Page): Promise<void> {
    await this.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.bringToFront();
  }

  private requireDisplay(): Display {
    if (!this.pooled.display) throw new Error('this scenario did not declare native-context-menu, so the browser has no display');
    return this.pooled.display;
  }

  /** Closes the scenario's pages and unloads its copy: the next scenario finds the browser as it was. */
  async close(): Promise<void> {
    this.context.off('console', this.heard);
    await Promise.all(this.pages.map((page) => page.close()));
    await this.pooled.cdp.send('Extensions.uninstall', { id: this.id });
    await this.removeCopy();
  }
}

/** The slice of chrome://extensions' private API used here. */
interface ExtensionsPage {
  chrome: {
    developerPrivate: {
      updateExtensionConfiguration(update: { extensionId: string; hostAccess: 'ON_CLICK' | 'ON_SPECIFIC_SITES' | 'ON_ALL_SITES' }): Promise<void>;
      addHostPermission(extensionId: string, host: string): Promise<void>;
    };
  };
}

/** A copy of the build, in a folder of its own. */
interface Copy {
  dir: string;
  /** Removes the copy, and its policy file if it has one. */
  remove: () => Promise<void>;
  /** The extension id its policy is written for. */
  policyId?: string;
}

/** A copy of dist/`dist` in a folder of its own. */
async function copy(dist: string): Promise<Copy> {
  const dir = await mkdtemp(join(tmpdir(), 'glean-images-extension-'));
  await cp(join(root, 'dist', dist), dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A copy of dist/`dist` whose managed storage is `policy`, written where Chromium reads machine policy. */
async function copyWithPolicy(policy: Readonly<Record<string, unknown>>, dist: string): Promise<Copy> {
  if (!(await canWritePolicy())) throw new Error(`this scenario writes a policy into ${MANAGED_POLICY_DIR}: run it as root (CI does)`);
  const { dir, remove, id } = await buildWithPolicy({ ...policy }, dist);
  return { dir, remove, policyId: id };
}

/**
 * Loads `build`: dist/chrome (store) or dist/chrome-dev. With `alwaysHeaded`, one headed browser on
 * Xvfb serves every scenario (one browser start for a file whose scenarios mostly need a display).
 */
export function chromiumDriver(build: Build, { alwaysHeaded = false }: { alwaysHeaded?: boolean } = {}): BrowserDriver {
  /** Started on first use: headless, and headed on an Xvfb display for the real menu, prompt and shortcuts. */
  const browsers = new Map<'headless' | 'headed', Promise<PooledBrowser>>();
  /** The running Chromium of the kind this request calls for, started if there is none yet. */
  const browserFor = ({ needs, fronts }: LaunchRequest): Promise<PooledBrowser> => {
    const kind = alwaysHeaded || needsDisplay(needs, ['native-context-menu', 'permission-prompt', 'allow-prompt', 'keyboard-shortcut']) ? 'headed' : 'headless';
    let pooled = browsers.get(kind);
    if (!pooled) browsers.set(kind, (pooled = startBrowser(kind === 'headed', fronts)));
    return pooled;
  };
  return {
    name: 'Chromium',
    build,
    cannot: build === 'dev' ? { 'permission-prompt': 'the dev build may already reach the loopback servers the tests use, so nothing asks' } : {},
    async start(request) {
      await browserFor(request);
    },
    async launch(request) {
      const { needs, policy } = request;
      const pooled = browserFor(request);
      const { context, cdp } = await pooled;
      const dist = build === 'store' ? 'chrome' : 'chrome-dev';
      // Its own folder, so its own id: Chromium derives an unpacked extension's id from its path.
      const { dir: extensionDir, remove, policyId } = policy ? await copyWithPolicy(policy, dist) : await copy(dist);
      try {
        if (needs.includes('capture-tab')) await mayCaptureAnyTab(extensionDir);
        const { id } = await cdp.send('Extensions.loadUnpacked', { path: extensionDir });
        if (policyId !== undefined && id !== policyId) throw new Error(`the policy names ${policyId}, but Chromium loaded the copy as ${id}`);
        const scope = `chrome-extension://${id}/`;
        const worker = context.serviceWorkers().find((candidate) => candidate.url().startsWith(scope)) ?? (await context.waitForEvent('serviceworker', (candidate) => candidate.url().startsWith(scope)));
        const [key] = Object.keys(policy ?? {});
        if (key !== undefined) await reloadPoliciesFor(context, worker, key);
        return new ChromiumBrowser(await pooled, id, remove);
      } catch (error) {
        await remove();
        throw error;
      }
    },
    async dispose() {
      const started = [...browsers.values()];
      browsers.clear();
      for (const pooled of await Promise.all(started)) {
        await pooled.context.close();
        await pooled.display?.stop();
        await rm(pooled.profileDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The scenario driver for Debian's Firefox ESR, with puppeteer-core over WebDriver BiDi. Buttons, forms and lists are found by role and accessible name
 * in the page (./rolesInPage.ts); labelled fields by their <label>'s words, as Playwright's
 * getByLabel does, because Firefox names a file input after its "Browse…" button, not its label.
 *
 * A Firefox takes 3 to 4 s to start, so one serves all the scenarios of a kind (headless, headed on
 * Xvfb, with a short idle timeout); each scenario installs its own copy of the dev build under an
 * add-on id of its own, which gives it its own moz-extension origin, storage and permissions, and
 * uninstalls it after. Each Firefox has a HOME folder of its own, where a scenario's enterprise policy
 * for its copy is written before the install (../harness/firefoxPolicy.ts).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { mayCaptureAnyTab } from '../harness/capture.ts';
import { root } from '../harness/chromium.ts';
import type { HttpsFront } from '../harness/httpsFront.ts';
import { eventually } from '../harness/eventually.ts';
import { answerPermissionPrompt } from '../harness/firefoxPermissionPrompt.ts';
import { createFirefoxHome, type FirefoxHome } from '../harness/firefoxPolicy.ts';
import { startNamesProxy, type NamesProxy } from '../harness/namesProxy.ts';
import { isSignInAddress, type Answer } from '../harness/signIn.ts';
import { startXvfb, type Display } from '../harness/xvfb.ts';
import {
  asPattern,
  clipboardPngInPage,
  type Build,
  needsDisplay,
  type BrowserDriver,
  type ContainerRole,
  type ExtensionPage,
  type ImageMenuItem,
  type InPage,
  type LaunchRequest,
  type Scope,
  type ScenarioBrowser,
  type WebPage,
} from './driver.ts';
import { findInPage, giveFinder } from './rolesInPage.ts';

const ACTION_TIMEOUT_MS = 20_000;

/**
 * The <input>, <select> or <textarea> whose label says `label` (its own words, without the control's).
 * Runs in the page: no inner named functions, which tsx would wrap in a `__name` helper the page lacks.
 */
function labelledControl(root: Element | null, label: string): Element | null {
  for (const control of Array.from((root ?? document).querySelectorAll('input, select, textarea'))) {
    if (control.getAttribute('aria-label') === label) return control;
    for (const element of Array.from((control as HTMLInputElement).labels ?? [])) {
      const copy = element.cloneNode(true) as Element;
      copy.querySelectorAll('input, select, textarea, button, small').forEach((inner) => inner.remove());
      if ((copy.textContent ?? '').replace(/\s+/g, ' ').trim() === label) return control;
    }
  }
  return null;
}

/** A page, or a part of it, found again once re-rendered (so a replaced part is never a stale handle). */
class PuppeteerScope implements Scope {
  constructor(
    protected readonly page: Page,
    /** Resolves to the part, or null for the whole page. */
    private readonly root: () => Promise<ElementHandle<Element> | null> = async () => null,
  ) {}

  within(role: ContainerRole, name: string): Scope {
    return new PuppeteerScope(this.page, () => this.find(role, name));
  }

  /** Waits for the element of `role` named `name` in this scope. */
  private async find(role: string, name: string): Promise<ElementHandle<Element>> {
    const found = (await this.page.waitForFunction(findInPage, {}, await this.root(), role, name)).asElement();
    if (!found) throw new Error(`no ${role} named "${name}"`);
    return found as ElementHandle<Element>;
  }

  private async control(label: string): Promise<ElementHandle<Element>> {
    const found = await this.page.waitForFunction(labelledControl, {}, await this.root(), label);
    const element = found.asElement();
    if (!element) throw new Error(`no field labelled "${label}"`);
    return element as ElementHandle<Element>;
  }

  private button(name: string): Promise<ElementHandle<Element>> {
    return this.find('button', name);
  }

  async fill(label: string, value: string): Promise<void> {
    await (await this.control(label)).asLocator().fill(value);
  }
  async select(label: string, value: string): Promise<void> {
    const control = await this.control(label);
    await (control as ElementHandle<HTMLSelectElement>).select(value);
  }
  async setInputFiles(label: string, paths: string | readonly string[]): Promise<void> {
    const control = await this.control(label);
    await (control as ElementHandle<HTMLInputElement>).uploadFile(...(typeof paths === 'string' ? [paths] : paths));
  }
  async click(name: string): Promise<void> {
    // The locator waits until the button is visible, enabled and still.
    await (await this.button(name)).asLocator().click();
  }
  async waitForButton(name: string): Promise<void> {
    const button = await this.button(name);
    await this.page.waitForFunction((element) => !(element as HTMLButtonElement).disabled, {}, button);
  }
  async waitForNoButton(name: string): Promise<void> {
    await this.page.waitForFunction(findInPage, {}, await this.root(), 'button', name, true);
  }
  async waitForText(text: string | RegExp, role?: 'status' | 'alert', timeoutMs?: number): Promise<void> {
    const { source, flags } = asPattern(text);
    await this.page.waitForFunction(
      (root, role, source, flags) => {
        const scope = root ?? document.body;
        const lines = role ? Array.from(scope.querySelectorAll(`[role="${role}"]`)) : [scope];
        return lines.some((line) => new RegExp(source, flags).test(line.textContent ?? ''));
      },
      timeoutMs === undefined ? {} : { timeout: timeoutMs },
      await this.root(),
      role ?? null,
      source,
      flags,
    );
  }
  async liveText(role: 'status' | 'alert'): Promise<string> {
    return this.page.evaluate(
      (root, role) => {
        const lines = (root ?? document).querySelectorAll(`[role="${role}"]`);
        if (lines.length !== 1) throw new Error(`${lines.length} ${role} lines, not one`);
        return lines[0]?.textContent ?? '';
      },
      await this.root(),
      role,
    );
  }
  async fieldValue(label: string): Promise<string> {
    return (await this.control(label)).evaluate((control) => (control as HTMLInputElement).value);
  }
  async links(): Promise<string[]> {
    const found = await this.page.waitForFunction(
      (root) => {
        const hrefs = Array.from((root ?? document).querySelectorAll('a[href]'), (link) => (link as HTMLAnchorElement).href);
        return hrefs.length > 0 ? hrefs : null;
      },
      {},
      await this.root(),
    );
    return (await found.jsonValue()) as string[];
  }
  async waitForImage(name: string | RegExp): Promise<number> {
    const { source, flags } = typeof name === 'string' ? { source: `^${asPattern(name).source}$`, flags: '' } : name;
    // An image's accessible name is its alt text (the UI gives its images no aria-label).
    const found = await this.page.waitForFunction(
      (root, source, flags) => Array.from((root ?? document).querySelectorAll('img')).find((img) => new RegExp(source, flags).test(img.alt)) ?? null,
      {},
      await this.root(),
      source,
      flags,
    );
    const image = found.asElement() as ElementHandle<HTMLImageElement> | null;
    if (!image) throw new Error(`no image named ${String(name)}`);
    return image.evaluate((img) => img.decode().then(() => img.naturalWidth, () => 0));
  }
}

class FirefoxExtensionPage extends PuppeteerScope implements ExtensionPage {
  constructor(readonly tab: Page) {
    super(tab);
  }
  evaluate<A, T>(fn: InPage<A, T>, arg: A): Promise<T> {
    // puppeteer types the argument with handles flattened to values; ours are plain data.
    return this.tab.evaluate(fn as never, arg) as Promise<T>;
  }
  close(): Promise<void> {
    return this.tab.close();
  }
}

class FirefoxWebPage implements WebPage {
  constructor(readonly tab: Page) {}
  async imagesLoaded(): Promise<void> {
    await this.tab.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
  }
  visibleSize(): Promise<{ width: number; height: number }> {
    return this.tab.evaluate(() => ({ width: Math.round(innerWidth * devicePixelRatio), height: Math.round(innerHeight * devicePixelRatio) }));
  }
}

function own<T>(value: unknown, type: new (...args: never[]) => T): T {
  if (!(value instanceof type)) throw new TypeError(`expected a page this driver opened (${type.name})`);
  return value;
}

/** The `browser` global of an extension page, as far as this driver uses it. */
interface ExtensionGlobals {
  browser: {
    permissions: {
      remove(permissions: { origins: string[] }): Promise<boolean>;
      getAll(): Promise<{ origins?: string[] }>;
      contains(permissions: { origins: string[] }): Promise<boolean>;
    };
    extension: { getBackgroundPage(): (Window & { scenarioMarker?: boolean }) | null };
  };
}

/** Debian's Firefox ESR; never one a test tool downloads. */
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** A running Firefox that scenarios install their copies of the extension into. */
interface PooledBrowser {
  browser: Browser;
  display: Display | undefined;
  proxy: NamesProxy | undefined;
  /** Its HOME, which holds the managed storage of the copies installed into it. */
  home: FirefoxHome;
}

/** As many add-on ids as a file's scenarios may need, each with a fixed moz-extension UUID (below). */
const MAX_INSTALLS = 64;
const addonId = (n: number): string => `glean-images-scenario-${n}@extensions.glean-images.dev`;
const addonUuid = (n: number): string => `5c3e9a10-4b2d-4f6e-8a1c-${n.toString(16).padStart(12, '0')}`;
let installs = 0;

/** The BiDi frame's browsing context: `page.goto` never resolves for moz-extension:// pages. */
interface BidiFrame {
  browsingContext: { navigate(url: string, wait: 'complete'): Promise<unknown> };
}

async function startBrowser({ headed, idleSuspend }: { headed: boolean; idleSuspend: boolean }, fronts: readonly HttpsFront[]): Promise<PooledBrowser> {
  const display = headed ? await startXvfb() : undefined;
  const proxy = fronts.length > 0 ? await startNamesProxy(fronts) : undefined;
  const home = await createFirefoxHome();
  const uuids = Object.fromEntries(Array.from({ length: MAX_INSTALLS }, (_, n) => [addonId(n), addonUuid(n)]));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: !headed,
    env: { ...process.env, HOME: home.dir, ...(display ? { DISPLAY: display.name } : {}) },
    // Lets WebDriver BiDi reach the browser window itself, where the permission prompt is
    // (../harness/firefoxChrome.ts).
    args: ['--remote-allow-system-access'],
    // The fronts' throwaway certificates. WebDriver's `acceptInsecureCerts` turns certificate errors
    // off for the whole browser (Firefox's certificate override service), so for the add-on's own
    // requests too, not only for the pages the automation opens.
    ...(proxy ? { acceptInsecureCerts: true } : {}),
    extraPrefsFirefox: {
      ...proxy?.firefoxPrefs,
      // Firefox gives an add-on a random UUID, and with it its page addresses, unless told one here.
      'extensions.webextensions.uuids': JSON.stringify(uuids),
      // The sign-in window would fetch the sandbox's /favicon.ico, a request no scenario made.
      'browser.chrome.site_icons': false,
      // Firefox hands notifications to the desktop's notification service, which an Xvfb display lacks:
      // there each ends as it is shown, and `notifications.getAll()` never lists it. Firefox's own
      // notification window stays up for 20 s (toolkit/content/global/alerts/alert.css in Firefox).
      'alerts.useSystemBackend': false,
      // The default is 30 s; a scenario that waits for a suspended background should not.
      ...(idleSuspend ? { 'extensions.background.idle.timeout': 1000 } : {}),
      // Firefox keeps a content process started ahead and starts the next spare whenever one is taken
      // (`dom.ipc.processPrelaunch.enabled` in https://searchfox.org/mozilla-central/source/browser/app/profile/firefox.js).
      // Scenarios open many short-lived tabs, so most spares only cost CPU: without them the dev-build
      // file took 119–123 CPU-seconds of Firefox, not 138–142, in the same time.
      'dom.ipc.processPrelaunch.enabled': false,
    },
  });
  return { browser, display, proxy, home };
}

class FirefoxBrowser implements ScenarioBrowser {
  readonly name = 'Firefox';
  private readonly tabs: Page[] = [];
  constructor(
    private readonly pooled: PooledBrowser,
    private readonly id: string,
    private readonly uuid: string,
    private readonly extensionDir: string,
  ) {}

  private async newTab(): Promise<Page> {
    const tab = await this.pooled.browser.newPage();
    tab.setDefaultTimeout(ACTION_TIMEOUT_MS);
    this.tabs.push(tab);
    return tab;
  }

  /** An extension page in a new tab. Just after an install the address may not resolve yet: asked again until it does. */
  private async openTab(path: string): Promise<Page> {
    const tab = await this.newTab();
    const frame = tab.mainFrame() as unknown as BidiFrame;
    const url = `moz-extension://${this.uuid}/${path}`;
    for (const deadline = Date.now() + ACTION_TIMEOUT_MS; ; ) {
      try {
        await frame.browsingContext.navigate(url, 'complete');
        await giveFinder(tab);
        return tab;
      } catch (error) {
        if (Date.now() > deadline || !String(error).includes('NS_ERROR_NOT_AVAILABLE')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async openExtensionPage(path: 'popup.html' | 'options.html'): Promise<ExtensionPage> {
    return new FirefoxExtensionPage(await this.openTab(path));
  }

  async openWebPage(url: string): Promise<WebPage> {
    const tab = await this.newTab();
    await tab.goto(url);
    return new FirefoxWebPage(tab);
  }

  /**
   * Firefox suspends an idle event page after `extensions.background.idle.timeout` (1 s here, see
   * `launch`). `extension.getBackgroundPage()` answers null while it is suspended, without waking it
   * (unlike `runtime.getBackgroundPage()`), so a marker put on the running page tells when it went.
   */
  async suspendBackground(): Promise<void> {
    const tab = await this.openTab('options.html');
    try {
      const marked = await tab.evaluate(() => {
        const background = (globalThis as unknown as ExtensionGlobals).browser.extension.getBackgroundPage();
        if (background) background.scenarioMarker = true;
        return background !== null;
      });
      // Not running when asked: it is suspended already.
      if (!marked) return;
      await tab.waitForFunction(() => (globalThis as unknown as ExtensionGlobals).browser.extension.getBackgroundPage()?.scenarioMarker !== true, {
        polling: 100,
      });
    } finally {
      await tab.close();
    }
  }

  /**
   * A person does this in about:addons → Permissions; an extension page may do it too. Every site the
   * extension holds goes, as Chrome's "Site access: On click" does (./chromium.ts): removing `pattern`
   * alone would leave a wider grant that covers it, such as the store build's `https://*.glean.com/*`.
   */
  async withholdHostAccess(pattern: string): Promise<void> {
    const tab = await this.openTab('options.html');
    try {
      const stillGranted = await tab.evaluate(async (pattern) => {
        const { permissions } = (globalThis as unknown as ExtensionGlobals).browser;
        await permissions.remove({ origins: (await permissions.getAll()).origins ?? [] });
        return permissions.contains({ origins: [pattern] });
      }, pattern);
      if (stillGranted) throw new Error(`Firefox still grants ${pattern} after removing every site`);
    } finally {
      await tab.close();
    }
  }

  /** Firefox's prompt is answered on itself, headless too (`answerPermissionPrompt`). */
  allowPermissionPrompt(page: ExtensionPage): Promise<void> {
    return this.answerPermissionPrompt(page, 'allow');
  }

  /**
   * Firefox's real prompt, a doorhanger of the browser window over the page's tab, waited for and
   * pressed in that window (../harness/firefoxPermissionPrompt.ts): no display needed.
   */
  async answerPermissionPrompt(page: WebPage | ExtensionPage, answer: 'allow' | 'deny'): Promise<void> {
    const tab = page instanceof FirefoxWebPage || page instanceof FirefoxExtensionPage ? page.tab : undefined;
    if (!tab) throw new TypeError('expected a page this driver opened');
    // Asked of the page: puppeteer's `url()` stays about:blank after a BiDi `navigate` (see `openTab`).
    const url = await tab.evaluate(() => location.href);
    await answerPermissionPrompt(this.pooled.browser, url, answer, ACTION_TIMEOUT_MS);
  }

  /**
   * Firefox opens the sign-in window as a new browser window ("launchWebAuthFlow_dialog"), with no
   * event puppeteer reports for it, so the pages are polled. It first fetches the authorization URL once
   * without a window, to see whether it redirects at once, so the server sees two GETs for one sign-in
   * (`checkRedirected` and `openOAuthWindow` in
   * https://searchfox.org/mozilla-central/source/toolkit/components/extensions/parent/ext-identity.js).
   */
  async answerSignInWindow(answer: Answer): Promise<void> {
    const window = await eventually(
      'the sign-in window',
      async () => (await this.pooled.browser.pages()).find((page) => isSignInAddress(page.url())),
      ACTION_TIMEOUT_MS,
    );
    if (answer === 'close') await window.close();
    else {
      // Found by its address, the page may still be loading: the finder goes into the loaded one.
      window.setDefaultTimeout(ACTION_TIMEOUT_MS);
      await window.waitForFunction(() => document.readyState === 'complete');
      await giveFinder(window);
      await new PuppeteerScope(window).click(answer);
    }
  }

  /**
   * With two items, Firefox groups them in a submenu named after the extension, the last item of an
   * image's menu: Up (from the top, wraps to it) and Right open it on its first item.
   */
  async chooseFromImageMenu(webPage: WebPage, selector: string, item: ImageMenuItem): Promise<void> {
    const display = this.requireDisplay();
    const { tab } = own(webPage, FirefoxWebPage);
    await tab.bringToFront();
    // A real right-click on the X display, where a person's would land: WebDriver's synthesized one
    // opened Firefox's menu only over images near the page's left edge here (none over the third column).
    // Each key waits for its menu to show: keys pressed before it would go to the page.
    const at = await tab.$eval(selector, (image) => {
      const box = image.getBoundingClientRect();
      // Firefox's own: where the page's viewport is on the screen (https://developer.mozilla.org/docs/Web/API/Window/mozInnerScreenX).
      const { mozInnerScreenX, mozInnerScreenY } = window as unknown as { mozInnerScreenX: number; mozInnerScreenY: number };
      return { x: mozInnerScreenX + box.left + box.width / 2, y: mozInnerScreenY + box.top + box.height / 2 };
    });
    await display.opening(() => display.rightClick(at.x, at.y));
    await display.opening(() => display.key('Up', 'Right'));
    if (item === 'Upload image to Glean…') await display.key('Down');
    await display.key('Return');
  }

  /** Headed only: headless Firefox's clipboard takes the image but its paste event carries nothing. */
  async pasteImage(extensionPage: ExtensionPage, path: string): Promise<void> {
    this.requireDisplay();
    const { tab } = own(extensionPage, FirefoxExtensionPage);
    await tab.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })]);
    }, (await readFile(path)).toString('base64'));
    await tab.mouse.click(5, 5);
    await tab.keyboard.down('Control');
    await tab.keyboard.press('v');
    await tab.keyboard.up('Control');
  }

  /** Headless too: Firefox's headless clipboard carries text to a paste event (images it does not). */
  async pasteText(extensionPage: ExtensionPage, text: string): Promise<void> {
    const { tab } = own(extensionPage, FirefoxExtensionPage);
    await tab.bringToFront();
    await tab.evaluate((text) => navigator.clipboard.writeText(text), text);
    await tab.mouse.click(5, 5);
    await tab.keyboard.down('Control');
    await tab.keyboard.press('v');
    await tab.keyboard.up('Control');
  }

  /** Firefox reads back, without a paste prompt, text the extension's own page put there (checked headless, ESR 153). */
  async readClipboardText(extensionPage: ExtensionPage): Promise<string> {
    const { tab } = own(extensionPage, FirefoxExtensionPage);
    return tab.evaluate(() => navigator.clipboard.readText());
  }

  /**
   * Headed only: headless Firefox's clipboard keeps text but not images (a `clipboard.read()` there
   * answers no items after an image was written; checked on ESR 153). Headed, the extension's own page
   * reads back what it wrote with no paste prompt.
   */
  async readClipboardImage(extensionPage: ExtensionPage): Promise<Buffer | null> {
    this.requireDisplay();
    const { tab } = own(extensionPage, FirefoxExtensionPage);
    const base64 = await tab.evaluate(clipboardPngInPage);
    return base64 === null ? null : Buffer.from(base64, 'base64');
  }

  /**
   * The tab in front, then its window given the keyboard on the display (see `focusWindow` in
   * ../harness/xvfb.ts: without it Firefox takes no typed key), then the keys.
   */
  async pressShortcut(webPage: WebPage, shortcut: string): Promise<void> {
    const display = this.requireDisplay();
    const { tab } = own(webPage, FirefoxWebPage);
    await tab.bringToFront();
    await display.focusWindow(await tab.title());
    await display.shortcut(shortcut);
  }

  dropFile(): Promise<void> {
    return Promise.reject(new Error(FIREFOX_CANNOT['drop-file']));
  }

  private requireDisplay(): Display {
    if (!this.pooled.display) throw new Error('this scenario did not declare a need for a display');
    return this.pooled.display;
  }

  /** Closes the scenario's tabs and uninstalls its copy (Firefox deletes an uninstalled add-on's data) and its policy. */
  async close(): Promise<void> {
    await Promise.all(this.tabs.map((tab) => tab.close()));
    await this.pooled.browser.uninstallExtension(this.id);
    await Promise.all([rm(this.extensionDir, { recursive: true, force: true }), this.pooled.home.removePolicy(this.id)]);
  }
}

const FIREFOX_CANNOT = {
  'drop-file':
    'WebDriver BiDi can give files to a file input (input.setFiles) but cannot drag files into a page, and an Xvfb display has no file manager to drag them from',
};

/**
 * Loads `build`: dist/firefox (store) or dist/firefox-dev. With `alwaysHeaded`, scenarios that would
 * run headless share the headed browser (one browser start fewer for a file of mostly headed ones).
 */
export function firefoxDriver(build: Build, { alwaysHeaded = false }: { alwaysHeaded?: boolean } = {}): BrowserDriver {
  /** Started on first use, one per kind. */
  const browsers = new Map<string, Promise<PooledBrowser>>();
  /** The running Firefox of the kind this request calls for, started if there is none yet. */
  const browserFor = ({ needs, fronts }: LaunchRequest): Promise<PooledBrowser> => {
    const kind = {
      // The real menu and a typed shortcut need a window; an image reaches a paste, or a read, only
      // through a real (X11) clipboard.
      headed: alwaysHeaded || needsDisplay(needs, ['native-context-menu', 'paste-image', 'clipboard-image', 'keyboard-shortcut']),
      // A short idle timeout would suspend the background under other scenarios too: only theirs has it.
      idleSuspend: needs.includes('suspend-background'),
    };
    const key = JSON.stringify(kind);
    let pooled = browsers.get(key);
    if (!pooled) browsers.set(key, (pooled = startBrowser(kind, fronts)));
    return pooled;
  };
  return {
    name: 'Firefox',
    build,
    cannot: FIREFOX_CANNOT,
    async start(request) {
      await browserFor(request);
    },
    async launch(request) {
      const { needs, policy } = request;
      const pooled = browserFor(request);
      if (installs === MAX_INSTALLS) throw new Error(`more than ${MAX_INSTALLS} scenarios: raise MAX_INSTALLS`);
      const n = installs++;
      // The build, under an add-on id of its own: a new origin, with storage and permissions of its own.
      const extensionDir = await mkdtemp(join(tmpdir(), 'glean-images-firefox-'));
      await cp(join(root, 'dist', build === 'store' ? 'firefox' : 'firefox-dev'), extensionDir, { recursive: true });
      const manifestPath = join(extensionDir, 'manifest.json');
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { browser_specific_settings: { gecko: { id: string } } };
      manifest.browser_specific_settings.gecko.id = addonId(n);
      await writeFile(manifestPath, JSON.stringify(manifest));
      // Firefox grants a manifest's host permissions, `<all_urls>` too, when it is installed this way.
      if (needs.includes('capture-tab')) await mayCaptureAnyTab(extensionDir);
      const ready = await pooled;
      if (policy) await ready.home.setPolicy(addonId(n), policy);
      const id = await ready.browser.installExtension(extensionDir);
      return new FirefoxBrowser(ready, id, addonUuid(n), extensionDir);
    },
    async dispose() {
      const started = [...browsers.values()];
      browsers.clear();
      for (const pooled of await Promise.all(started)) {
        await pooled.browser.close();
        await pooled.display?.stop();
        await pooled.proxy?.close();
        await pooled.home.remove();
      }
    },
  };
}

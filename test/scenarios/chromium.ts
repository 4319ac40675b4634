/// <reference types="chrome" />
/** The scenario driver for Debian's Chromium, with Playwright (../../shared/browser-testing.md). */
import type { Locator, Page } from 'playwright-core';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { startXvfb, type Display } from '../harness/xvfb.ts';
import { asPattern, needsDisplay, type BrowserDriver, type ContainerRole, type ExtensionPage, type ImageMenuItem, type InPage, type Scope, type ScenarioBrowser, type WebPage } from './driver.ts';

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
    await this.root.getByLabel(label, { exact: true }).selectOption(value);
  }
  async setInputFiles(label: string, path: string): Promise<void> {
    await this.root.getByLabel(label, { exact: true }).setInputFiles(path);
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
  async waitForText(text: string | RegExp, role?: 'status' | 'alert'): Promise<void> {
    const where = role ? this.root.getByRole(role) : 'goto' in this.root ? this.root.locator('body') : this.root;
    await where.filter({ hasText: asPattern(text) }).first().waitFor();
  }
  async liveText(role: 'status' | 'alert'): Promise<string> {
    // An empty line is out of the layout but still a live region: found with the hidden ones.
    return (await this.root.getByRole(role, { includeHidden: true }).textContent()) ?? '';
  }
  fieldValue(label: string): Promise<string> {
    return this.root.getByLabel(label, { exact: true }).inputValue();
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
    return this.page.evaluate(fn, arg);
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
}

function own<T>(value: unknown, type: new (...args: never[]) => T): T {
  if (!(value instanceof type)) throw new TypeError(`expected a page this driver opened (${type.name})`);
  return value;
}

class ChromiumBrowser implements ScenarioBrowser {
  readonly name = 'Chromium';
  constructor(
    private readonly extension: Extension,
    private readonly display: Display | undefined,
  ) {}

  async openExtensionPage(path: 'popup.html' | 'options.html'): Promise<ExtensionPage> {
    return new ChromiumExtensionPage(await this.extension.openPage(path));
  }

  async openWebPage(url: string): Promise<WebPage> {
    const page = await this.extension.context.newPage();
    await page.goto(url);
    return new ChromiumWebPage(page);
  }

  /** As Chrome does after 30 s idle: `ServiceWorker.stopAllWorkers`; resolved once ours reports "stopped". */
  async suspendBackground(): Promise<void> {
    const page = await this.extension.context.newPage();
    try {
      const cdp = await this.extension.context.newCDPSession(page);
      const scope = `chrome-extension://${this.extension.id}/`;
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
      { id: this.extension.id },
    );
    const page = await this.extension.openPage('options.html');
    const granted = await page.evaluate((origins) => chrome.permissions.contains({ origins }), [pattern]);
    await page.close();
    if (granted) throw new Error(`${pattern} is still granted after "Site access: On click"`);
  }

  /**
   * Chrome's permission prompt cannot be answered in headless mode, and headed it is drawn inside the
   * browser window, where nothing tells a test that it has appeared. So the person's "Allow" is given
   * the other way Chrome offers: adding the site in chrome://extensions (what "Allow" grants, too).
   */
  async allowPermissionPrompt(pattern: string): Promise<void> {
    await this.onExtensionsPage(({ id, host }) => (globalThis as unknown as ExtensionsPage).chrome.developerPrivate.addHostPermission(id, host), { id: this.extension.id, host: pattern });
  }

  /** Runs `action` in chrome://extensions, whose private `developerPrivate` API does what its switches do. */
  private async onExtensionsPage<A>(action: (arg: A) => Promise<void>, arg: A): Promise<void> {
    const page = await this.extension.context.newPage();
    try {
      await page.goto(`chrome://extensions/?id=${this.extension.id}`);
      await page.evaluate(action, arg);
    } finally {
      await page.close();
    }
  }

  /** Chrome groups two items under one named after the extension, just above "Inspect". */
  async chooseFromImageMenu(webPage: WebPage, selector: string, item: ImageMenuItem): Promise<void> {
    const display = this.requireDisplay();
    const { page } = own(webPage, ChromiumWebPage);
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

  private requireDisplay(): Display {
    if (!this.display) throw new Error('this scenario did not declare native-context-menu, so the browser has no display');
    return this.display;
  }

  async close(): Promise<void> {
    await this.extension.close();
    await this.display?.stop();
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

export const chromiumDriver: BrowserDriver = {
  name: 'Chromium',
  // Everything: the real menu needs a headed browser, on an Xvfb display of the scenario's own.
  cannot: {},
  async launch({ needs }) {
    const display = needsDisplay(needs, ['native-context-menu']) ? await startXvfb() : undefined;
    const extension = await launchExtension(display ? { headless: false, env: { DISPLAY: display.name } } : {});
    extension.context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    return new ChromiumBrowser(extension, display);
  },
};

/**
 * What a scenario may do with a browser, in a person's terms: open the extension's pages, fill a
 * labelled field, choose in a list, press a named button, pick a file, read what a status or alert
 * line says. Implemented once with Playwright for Chromium (./chromium.ts) and once with puppeteer-core
 * over WebDriver BiDi for Firefox (./firefox.ts), so every scenario in ./scenarios.ts is written once.
 * Names are matched exactly, as the design's UI contract fixes them.
 */
import type { HttpsFront } from '../harness/httpsFront.ts';
import type { Answer as SignInAnswer } from '../harness/signIn.ts';

/** Containers a scenario narrows its search to: forms, lists and their items, by accessible name. */
export type ContainerRole = 'form' | 'list' | 'listitem' | 'group';

/** A page, or a named part of it. Every method waits for what it needs (an element, a state) itself. */
export interface Scope {
  within(role: ContainerRole, name: string): Scope;
  /** Types into the field labelled `label` (a textbox or password field), replacing what was there. */
  fill(label: string, value: string): Promise<void>;
  /** Chooses the option with `value` in the list box labelled `label`. */
  select(label: string, value: string): Promise<void>;
  /** Gives the file input labelled `label` these files at once, as the browser's file picker would. */
  setInputFiles(label: string, paths: string | readonly string[]): Promise<void>;
  /** Clicks the button named `name`, once it is enabled. */
  click(name: string): Promise<void>;
  /** Waits until a button named `name` is there and enabled (such as Save, once settings are loaded). */
  waitForButton(name: string): Promise<void>;
  /** Waits until no button named `name` is there. */
  waitForNoButton(name: string): Promise<void>;
  /** Waits until the scope's `role` line (or any of its text, without a role) holds `text`; `timeoutMs` when longer than an action's. */
  waitForText(text: string | RegExp, role?: 'status' | 'alert', timeoutMs?: number): Promise<void>;
  /** What the scope's only `role` line says now, '' when it is empty. */
  liveText(role: 'status' | 'alert'): Promise<string>;
  /** The current value of the field labelled `label`. */
  fieldValue(label: string): Promise<string>;
  /** Where the scope's links lead (their href), in page order, once there is at least one. */
  links(): Promise<string[]>;
  /** Waits for an image whose accessible name matches, and answers its decoded width (0 if it cannot decode). */
  waitForImage(name: string | RegExp): Promise<number>;
}

/** Runs in an extension page, with the page's `chrome`/`browser` and IndexedDB. Must be self-contained. */
export type InPage<A, T> = (arg: A) => T | Promise<T>;

export interface ExtensionPage extends Scope {
  evaluate<A, T>(fn: InPage<A, T>, arg: A): Promise<T>;
  close(): Promise<void>;
}

/** A web page in a tab (the image site), for the right-click menu. */
export interface WebPage {
  /** Waits until every image of the page has loaded. */
  imagesLoaded(): Promise<void>;
  /** The visible part of the page in device pixels: the size of a capture of its tab. */
  visibleSize(): Promise<{ width: number; height: number }>;
}

/** The items of the extension's image menu (src/worker/contextMenu/menuItems.ts), in menu order. */
export type ImageMenuItem = 'Upload image to Glean' | 'Upload image to Glean…';

/**
 * What a browser can do beyond the basics, for the scenarios that need it. A scenario declares what it
 * needs; a browser that lacks it gets no test for that scenario (see ./run.ts), and the README says so.
 */
export type Capability =
  /** The real right-click menu, opened and chosen from under Xvfb with xdotool. */
  | 'native-context-menu'
  /** Stopping the background as the browser does when it is idle, and seeing that it stopped. */
  | 'suspend-background'
  /** Taking the Glean server's host access away as a person can, and answering the browser's prompt to give it back. */
  | 'withhold-host-access'
  /** A real paste (Ctrl+V) of an image put on the system clipboard. */
  | 'paste-image'
  /** A real drop of a file from outside the page. */
  | 'drop-file'
  /** An image the page put on the system clipboard, read back from it (a real clipboard, not only text). */
  | 'clipboard-image'
  /** A command's keyboard shortcut typed on the display, as a person presses it, into the window of a page. */
  | 'keyboard-shortcut'
  /**
   * The browser's own permission prompt, shown for a site the build has no access to yet, answered
   * either way on the prompt itself (the store build: the dev build already reaches loopback).
   */
  | 'permission-prompt'
  /**
   * The browser's permission prompt for a new site, answered "Allow": Chromium by keys on a display,
   * Firefox by its Allow button pressed in the browser window; the dev builds never ask.
   */
  | 'allow-prompt'
  /**
   * A `blob:` image read in the page after a menu click, through the click's activeTab grant alone: only
   * a store build, with no access to the image's site, proves that nothing else read it.
   */
  | 'blob-through-menu'
  /**
   * `tabs.captureVisibleTab` from a popup opened as a tab. The product captures on the `activeTab` grant
   * of a toolbar click or a shortcut, which automation cannot give a page opened in a tab; a copy of the
   * build with `<all_urls>` stands in for it (as test/harness/capture.ts does in Chromium).
   */
  | 'capture-tab';

export interface ScenarioBrowser {
  readonly name: 'Chromium' | 'Firefox';
  openExtensionPage(path: 'popup.html' | 'options.html'): Promise<ExtensionPage>;
  openWebPage(url: string): Promise<WebPage>;
  /** Stops (Chromium) or lets the browser suspend (Firefox) the background; resolves once it is gone. */
  suspendBackground(): Promise<void>;
  /** Withdraws the extension's access to hosts matching `pattern`, the way a person can in this browser. */
  withholdHostAccess(pattern: string): Promise<void>;
  /**
   * Answers "Allow" to the permission prompt a "Grant access" click on `page` opened for `pattern`: on
   * the prompt itself where it is drawn (Chromium headed, Firefox), otherwise as a person can elsewhere.
   */
  allowPermissionPrompt(page: ExtensionPage, pattern: string): Promise<void>;
  /** Answers the browser's permission prompt that an action on `page` (a menu click, a Save) opened, once it shows. */
  answerPermissionPrompt(page: WebPage | ExtensionPage, answer: 'allow' | 'deny'): Promise<void>;
  /**
   * Waits for the sign-in window a "Sign in with Glean" click opens (`identity.launchWebAuthFlow`,
   * showing the authorization server's page at a path ending in `/authorize`) and answers it: one of
   * its buttons, or closing it.
   */
  answerSignInWindow(answer: SignInAnswer): Promise<void>;
  /** Right-clicks the element and chooses the extension's `item` from the real menu. */
  chooseFromImageMenu(page: WebPage, selector: string, item: ImageMenuItem): Promise<void>;
  /** Puts the PNG file on the system clipboard and presses Ctrl+V in the page. */
  pasteImage(page: ExtensionPage, path: string): Promise<void>;
  /** Drags the file from outside and drops it on the page. */
  dropFile(page: ExtensionPage, path: string): Promise<void>;
  /** Puts `text` on the clipboard and presses Ctrl+V on the page (outside any field). */
  pasteText(page: ExtensionPage, text: string): Promise<void>;
  /** What the clipboard holds as text, read in the page as the page itself could. */
  readClipboardText(page: ExtensionPage): Promise<string>;
  /** The PNG the clipboard holds, read in the page as the page itself could; null when it holds none. */
  readClipboardImage(page: ExtensionPage): Promise<Buffer | null>;
  /**
   * Brings `page` to the front, gives its window the keyboard, and types `shortcut` (as the browser
   * writes it in `commands.getAll()`, such as "Alt+Shift+P") on the display.
   */
  pressShortcut(page: WebPage, shortcut: string): Promise<void>;
  /**
   * What the extension's background and pages printed to the console since the scenario began, for a
   * failed scenario's report; absent where the driver does not collect it (the Firefox driver does not yet).
   */
  consoleLines?(): readonly string[];
  /** Ends the scenario: its pages and its extension go; the browser may serve the next scenario. */
  close(): Promise<void>;
}

/** How a browser is launched for one scenario: what it is asked to be able to do. */
export interface LaunchRequest {
  needs: readonly Capability[];
  /** HTTPS fronts the browser must reach by their names (the store build's servers), the same for a whole file. */
  fronts: readonly HttpsFront[];
  /**
   * The enterprise policy (`storage.managed`) of the scenario's copy, in place before it is installed:
   * Chromium's managed policy folder (../harness/policy.ts, root only), where the browser finds a new
   * file a moment later, so `launch` waits until the copy sees it; Firefox's managed storage manifest
   * (../harness/firefoxPolicy.ts), read from the first `storage.managed.get`.
   */
  policy?: Readonly<Record<string, unknown>>;
}

/**
 * Which build a driver loads: `store` (dist/chrome, dist/firefox: Glean only as `https://*.glean.com`,
 * every other site once the person allows it) or `dev` (the same plus loopback, see scripts/targets.ts).
 */
export type Build = 'store' | 'dev';

export interface BrowserDriver {
  readonly name: ScenarioBrowser['name'];
  readonly build: Build;
  /** What this browser (or its automation) cannot do, each with the reason; it can do everything else. */
  readonly cannot: Partial<Record<Capability, string>>;
  /**
   * Starts the browser that `launch` will use for this request, unless it is running already. Kept apart
   * from `launch` so that a browser start, which serves several scenarios, is not timed as part of one:
   * ./run.ts calls it before the scenario's own timeout starts.
   */
  start(request: LaunchRequest): Promise<void>;
  /** A fresh extension, with nothing of another scenario's, in a browser that may serve several. */
  launch(request: LaunchRequest): Promise<ScenarioBrowser>;
  /** Ends every browser `launch` started. */
  dispose(): Promise<void>;
}

/**
 * The needs of the scenarios only a store build proves: the dev build may already reach the loopback
 * servers the tests use, so nothing asks the person for a site, and the host access it starts with is
 * not what people install. Each browser runs these against its store build
 * (test/browsers/scenarios.*.store.test.ts) and the others against its dev build.
 */
export const PROVED_BY_STORE_BUILD: readonly Capability[] = ['permission-prompt', 'allow-prompt', 'withhold-host-access', 'blob-through-menu'];

/** Whether a scenario with these needs is one of those (`PROVED_BY_STORE_BUILD`). */
export function provedByStoreBuild(needs: readonly Capability[] = []): boolean {
  return needs.some((need) => PROVED_BY_STORE_BUILD.includes(need));
}

/** A string matches as a substring, case and all; a RegExp as itself. */
export function asPattern(text: string | RegExp): RegExp {
  return typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text;
}

/** Whether any of the scenario's needs is one this browser serves only with a headed window on Xvfb. */
export function needsDisplay(needs: readonly Capability[], displayed: readonly Capability[]): boolean {
  return needs.some((need) => displayed.includes(need));
}

/**
 * Runs in an extension page (each driver passes it to its `evaluate`): the clipboard's PNG as base64, or
 * null when it holds none, read back as the page itself could.
 */
export async function clipboardPngInPage(): Promise<string | null> {
  const item = (await navigator.clipboard.read()).find((entry) => entry.types.includes('image/png'));
  if (!item) return null;
  const bytes = new Uint8Array(await (await item.getType('image/png')).arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

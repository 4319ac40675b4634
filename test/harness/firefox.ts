/**
 * Launches Firefox ESR through puppeteer-core over WebDriver BiDi with a build of the extension
 * installed, as ../browser-testing.md describes. A fixed moz-extension UUID makes its pages addressable.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../scripts/targets.ts';
import { root } from './chromium.ts';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const EXTENSION_UUID = '0b7e5a3c-6f1d-4b8e-9a2c-3d4e5f607182';

export interface FirefoxExtension {
  browser: Browser;
  openPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/** The BiDi frame's browsing context: `page.goto` never resolves for moz-extension:// pages. */
interface BidiFrame {
  browsingContext: { navigate(url: string, wait: 'complete'): Promise<unknown> };
}

export interface FirefoxLaunchOptions {
  build?: string;
  prefs?: Record<string, unknown>;
  headless?: boolean;
  /** The browser's environment, such as a DISPLAY for a headed browser (see `startXvfb`). */
  env?: Record<string, string>;
}

export async function launchFirefoxExtension({ build = 'firefox-dev', prefs = {}, headless = true, env }: FirefoxLaunchOptions = {}): Promise<FirefoxExtension> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless,
    ...(env ? { env: { ...process.env, ...env } } : {}),
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }), ...prefs },
  });
  // A private copy, as for Chromium: a rebuild must not change files under a running browser.
  const copy = await mkdtemp(join(tmpdir(), 'glean-images-firefox-'));
  await cp(join(root, 'dist', build), copy, { recursive: true });
  await browser.installExtension(copy);
  return {
    browser,
    async openPage(path: string) {
      const page = await browser.newPage();
      const frame = page.mainFrame() as unknown as BidiFrame;
      await frame.browsingContext.navigate(`moz-extension://${EXTENSION_UUID}/${path}`, 'complete');
      return page;
    },
    async close() {
      await browser.close();
      await rm(copy, { recursive: true, force: true });
    },
  };
}

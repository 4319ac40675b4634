/// <reference types="chrome" />
/**
 * One browser for the whole bench: a copy of the dev build with the bench's own pages added (the
 * product never ships them), loaded in headless Chromium and pointed at a sandbox on loopback.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import { launchExtension, root, type Extension } from '../test/harness/chromium.ts';
import { saveSettings } from '../test/harness/configure.ts';

/**
 * Baseline pages. Extension pages forbid inline scripts (CSP `script-src 'self'`), and none is needed:
 * the bench drives them with `page.evaluate`, which DevTools runs regardless of the page's CSP.
 */
const BENCH_PAGES: Record<string, string> = {
  // The cheapest page the extension can show: what the popup's start-up is compared with.
  'blank.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title></head><body></body></html>\n',
  // A file input, so the direct POST sends a File from disk exactly as the popup does.
  'direct-upload.html':
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Direct upload</title></head>' +
    '<body><label>Bench file <input type="file"></label></body></html>\n',
};

export interface BenchBrowser {
  sandbox: Sandbox;
  extension: Extension;
  /** The unpacked extension the browser runs (a temporary copy of dist/chrome-dev). */
  extensionDir: string;
  /** Opens one of the extension's pages (product or bench) in a new tab. */
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}

/** Copies dist/chrome-dev (run `npm run build` first) and adds the bench pages to the copy. */
async function benchCopyOfDevBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'glean-images-bench-ext-'));
  await cp(join(root, 'dist', 'chrome-dev'), dir, { recursive: true });
  for (const [name, html] of Object.entries(BENCH_PAGES)) await writeFile(join(dir, name), html);
  return dir;
}

export async function startBenchBrowser(): Promise<BenchBrowser> {
  const sandbox = await startSandbox({ port: 0 });
  const extensionDir = await benchCopyOfDevBuild();
  // The DevTools port lets puppeteer reach the service worker for heap samples (Playwright cannot).
  const extension = await launchExtension({ extensionDir, remoteDebugging: true });
  const page = await extension.openPage('blank.html');
  await saveSettings(page, { instance: sandbox.url, token: sandbox.token });
  await page.close();
  return {
    sandbox,
    extension,
    extensionDir,
    open: (path) => extension.openPage(path),
    async close() {
      await extension.close();
      await sandbox.close();
      await rm(extensionDir, { recursive: true, force: true });
    },
  };
}

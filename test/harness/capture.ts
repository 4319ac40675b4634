/// <reference types="chrome" />
/**
 * What the capture tests need beyond the usual harness: a build that may capture any tab, the real
 * toolbar popup, and an uploaded image's pixel size as Glean (the sandbox) holds it.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Sandbox } from '../../sandbox/server.ts';
import { root, type Extension } from './chromium.ts';

/**
 * A copy of dist/chrome-dev whose manifest also asks for `<all_urls>`. Simulated, and why: Chrome lets
 * `tabs.captureVisibleTab` run with `activeTab` only after a click on the toolbar button, a menu click
 * or a keyboard shortcut, none of which automation can give a headless browser (a popup opened by
 * `action.openPopup()` or a command dispatched in the worker carries no grant); `<all_urls>` is the
 * other permission the capture accepts. The product never asks for it.
 */
export async function buildThatMayCaptureAnyTab(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'glean-images-capture-ext-'));
  await cp(join(root, 'dist', 'chrome-dev'), dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { host_permissions?: string[] };
  manifest.host_permissions = [...(manifest.host_permissions ?? []), '<all_urls>'];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return dir;
}

export interface RealPopup {
  popup: Page;
  /** Disconnects from the browser (the popup closes with it or stays; the test ends either way). */
  disconnect(): Promise<void>;
}

/** The toolbar popup the worker's `action.openPopup()` opened (or is opening), reached over CDP. */
export async function attachToToolbarPopup(extension: Extension): Promise<RealPopup> {
  const browser: Browser = await chromium.connectOverCDP(`http://127.0.0.1:${extension.debuggingPort}`);
  const popupUrl = `chrome-extension://${extension.id}/popup.html`;
  const existing = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url() === popupUrl);
  const popup = existing ?? (await browser.contexts()[0]?.waitForEvent('page', { predicate: (p) => p.url() === popupUrl }));
  if (!popup) throw new Error('the toolbar popup did not open');
  return { popup, disconnect: () => browser.close() };
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The uploaded image's bytes, fetched from the sandbox at the URL the upload answered, with the token. */
export async function uploadedBytes(sandbox: Sandbox, url: string): Promise<Buffer> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${sandbox.token}` } });
  if (!response.ok) throw new Error(`the sandbox answered ${response.status} for ${url}`);
  return Buffer.from(await response.arrayBuffer());
}

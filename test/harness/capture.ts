/// <reference types="chrome" />
/**
 * What the capture tests need beyond the usual harness: a build that may capture any tab, the real
 * toolbar popup, and an uploaded image's pixel size as Glean (the sandbox) holds it.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Sandbox } from '../../sandbox/server.ts';
import { root, type Extension } from './chromium.ts';
import { eventually } from './eventually.ts';

/**
 * A copy of dist/chrome-dev whose manifest also asks for `<all_urls>`. Simulated, and why: Chrome lets
 * `tabs.captureVisibleTab` run with `activeTab` only after a click on the toolbar button, a menu click
 * or a keyboard shortcut, none of which automation can give a headless browser (a popup opened by
 * `action.openPopup()` or a command dispatched in the worker carries no grant); `<all_urls>` is the
 * other permission the capture accepts. The product never asks for it. (A shortcut typed on an Xvfb
 * display does grant it: test/e2e/screenshotCommand.test.ts needs no such copy.)
 */
export async function buildThatMayCaptureAnyTab(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'glean-images-capture-ext-'));
  await cp(join(root, 'dist', 'chrome-dev'), dir, { recursive: true });
  await mayCaptureAnyTab(dir);
  return dir;
}

/** Adds `<all_urls>` to the manifest of the unpacked build in `dir` (Chromium's or Firefox's), for the reason above. */
export async function mayCaptureAnyTab(dir: string): Promise<void> {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { host_permissions?: string[] };
  manifest.host_permissions = [...(manifest.host_permissions ?? []), '<all_urls>'];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
}

export interface RealPopup {
  popup: Page;
  /** Disconnects from the browser (the popup closes with it or stays; the test ends either way). */
  disconnect(): Promise<void>;
}

/**
 * The toolbar popup the worker's `action.openPopup()` opened (or is opening), reached over CDP.
 * Playwright's `connectOverCDP` lists a toolbar popup that is already open when it connects, but never
 * attaches to one that opens later (its target stays `attached: false` in `Target.getTargets`, and no
 * `page` event comes): a test that connects before the popup opens finds nothing, and one that connects
 * after it passes, so a slower capture made this flaky. So wait for the popup's target in DevTools'
 * own target list (https://chromedevtools.github.io/devtools-protocol/#endpoints), then connect.
 */
export async function attachToToolbarPopup(extension: Extension, timeoutMs = 15_000): Promise<RealPopup> {
  const endpoint = `http://127.0.0.1:${extension.debuggingPort}`;
  const popupUrl = `chrome-extension://${extension.id}/popup.html`;
  await eventually(
    'the toolbar popup',
    async () => {
      const targets = (await (await fetch(`${endpoint}/json/list`)).json()) as Array<{ type: string; url: string }>;
      return targets.some((target) => target.type === 'page' && target.url === popupUrl) ? true : undefined;
    },
    timeoutMs,
  );
  const browser: Browser = await chromium.connectOverCDP(endpoint);
  const popup = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url() === popupUrl);
  if (!popup) {
    await browser.close();
    throw new Error('the toolbar popup is open but CDP did not list it');
  }
  return { popup, disconnect: () => browser.close() };
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The uploaded image's bytes, fetched from the sandbox at the URL the upload answered, with the token. */
/**
 * A screenshot's upload as Glean sees it: a FEEDBACK PNG with metadata id `id`, answered 200, and the
 * pixel size of the image Glean then holds for that metadata.
 */
export async function uploadedScreenshot(sandbox: Sandbox, id: string): Promise<{ width: number; height: number }> {
  const received = await eventually(`Glean to receive ${id}`, () => sandbox.requests.find((r) => r.operation === 'uploadimage' && r.status === 200 && r.query.id === id), 15_000);
  assert.equal(received.query.type, 'FEEDBACK');
  assert.equal(received.headers['content-type'], 'image/png');
  return pngSize(await uploadedBytes(sandbox, `${sandbox.url}/rest/api/v1/images?${new URLSearchParams(received.query).toString()}`));
}

export async function uploadedBytes(sandbox: Sandbox, url: string): Promise<Buffer> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${sandbox.token}` } });
  if (!response.ok) throw new Error(`the sandbox answered ${response.status} for ${url}`);
  return Buffer.from(await response.arrayBuffer());
}

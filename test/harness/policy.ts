/// <reference types="chrome" />
/**
 * Enterprise policy for the extension in a real Chromium: Debian's Chromium reads managed policy from
 * /etc/chromium/policies/managed/*.json, where `3rdparty.extensions.<id>` becomes that extension's
 * `storage.managed`. An unpacked extension's id derives from its absolute path, so the build is copied
 * to a folder of its own: the policy then reaches only this copy, never another test's browser.
 */
import { createHash } from 'node:crypto';
import { access, constants, cp, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Worker } from 'playwright-core';
import { root } from './chromium.ts';

export const MANAGED_POLICY_DIR = process.env.CHROMIUM_POLICY_DIR ?? '/etc/chromium/policies/managed';

/** Whether this process may write Chromium's managed policy (it needs root on a stock machine). */
export async function canWritePolicy(): Promise<boolean> {
  try {
    await mkdir(MANAGED_POLICY_DIR, { recursive: true });
    await access(MANAGED_POLICY_DIR, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Chromium's id for an unpacked extension: SHA-256 of its absolute path, the first 32 hex digits
 * written with the letters a-p (components/crx_file/id_util.cc, GenerateIdForPath). */
export function unpackedExtensionId(absolutePath: string): string {
  const hex = createHash('sha256').update(absolutePath).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode('a'.charCodeAt(0) + parseInt(digit, 16))).join('');
}

export interface PolicyBuild {
  dir: string;
  id: string;
  /** Replaces the policy, as an administrator changes it (Chromium notices the file change by itself). */
  update(policy: Record<string, unknown>): Promise<void>;
  /** Removes the policy file and the copy. */
  remove(): Promise<void>;
}

/** Copies dist/<build> to a fresh folder and writes `policy` as its managed storage. */
export async function buildWithPolicy(policy: Record<string, unknown>, build = 'chrome-dev'): Promise<PolicyBuild> {
  const folder = await realpath(await mkdtemp(join(tmpdir(), 'glean-images-managed-')));
  const dir = join(folder, 'extension');
  const id = unpackedExtensionId(dir);
  const policyFile = join(MANAGED_POLICY_DIR, `glean-images-test-${id}.json`);
  const remove = async (): Promise<void> => {
    await rm(policyFile, { force: true });
    await rm(folder, { recursive: true, force: true });
  };
  const update = (next: Record<string, unknown>): Promise<void> => writeFile(policyFile, JSON.stringify({ '3rdparty': { extensions: { [id]: next } } }));
  try {
    await cp(join(root, 'dist', build), dir, { recursive: true });
    await update(policy);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, id, update, remove };
}

/** Resolves once the extension's `storage.managed` holds `key`: Chromium may load the policy a
 * moment after the extension starts, and a page that reads it before then sees no policy. A running
 * browser notices a changed policy file (`update`) only once the folder's files have been unchanged for
 * 5 s, so other test files writing their policies there postpone it (`kSettleIntervalSeconds` in
 * https://source.chromium.org/chromium/chromium/src/+/main:components/policy/core/common/async_policy_loader.cc).
 * An extension loaded into a running browser needs reloadPoliciesFor (below) instead. */
export async function waitForManaged(worker: Worker, key: string, timeoutMs = 25_000): Promise<void> {
  const seen = await worker.evaluate(
    ({ key, timeoutMs }) =>
      // No named helpers in here: tsx would wrap them in a __name() the worker does not have.
      new Promise<boolean>((resolve) => {
        setTimeout(resolve, timeoutMs, false);
        chrome.storage.onChanged.addListener((changes, area) => {
          if (area === 'managed' && key in changes) resolve(true);
        });
        void chrome.storage.managed.get(key).then((items) => {
          if (key in items) resolve(true);
        });
      }),
    { key, timeoutMs },
  );
  if (!seen) throw new Error(`storage.managed had no "${key}" after ${timeoutMs} ms: is the policy file read?`);
}

/** Has a running Chromium read a policy written after it started, as an administrator's "Reload
 * policies" on chrome://policy does, and resolves once the extension's `storage.managed` holds `key`.
 * Left to itself, a running Chromium did not give an extension loaded into it the policy written for
 * it just before: 25 s went by in vain, every time with the browser started before the file was written
 * (its folder watcher does reload, but evidently not for a schema it learnt since); the button
 * delivers it within seconds. */
export async function reloadPoliciesFor(context: BrowserContext, worker: Worker, key: string): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto('chrome://policy');
    await page.locator('#reload-policies').click();
    await waitForManaged(worker, key);
  } finally {
    await page.close();
  }
}

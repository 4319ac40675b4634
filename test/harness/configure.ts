/// <reference types="chrome" />
/** Points the extension at a sandbox through the real message contract, as the options page would. */
import type { Page } from 'playwright-core';
import type { SettingsInput } from '../../src/shared/messages.ts';
import type { Extension } from './chromium.ts';

export async function saveSettings(page: Page, input: Partial<SettingsInput> & { instance: string }): Promise<void> {
  const full: SettingsInput = { token: '', actAs: '', authType: '', defaults: {}, ...input };
  const reply = await page.evaluate((payload) => chrome.runtime.sendMessage({ type: 'settings/save', payload }), full);
  if (!reply?.ok) throw new Error(`saving settings failed: ${JSON.stringify(reply)}`);
}

/** Everything in the extension's `storage.local`, as the worker sees it (token included: tests only). */
export async function readLocalStorage(extension: Extension): Promise<Record<string, unknown>> {
  const worker = await extension.worker();
  return worker.evaluate(() => chrome.storage.local.get(null));
}

/** Forgets every setting and the token, so a test starts from a fresh install's state. */
export async function clearSettings(extension: Extension): Promise<void> {
  const worker = await extension.worker();
  await worker.evaluate(() => chrome.storage.local.clear());
}

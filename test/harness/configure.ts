/// <reference types="chrome" />
/** Points the extension at a sandbox through the real message contract, as the options page would. */
import type { Page } from 'playwright-core';
import type { SettingsInput } from '../../src/shared/messages.ts';

export async function saveSettings(page: Page, input: Partial<SettingsInput> & { instance: string }): Promise<void> {
  const full: SettingsInput = { token: '', actAs: '', authType: '', defaults: {}, ...input };
  const reply = await page.evaluate((payload) => chrome.runtime.sendMessage({ type: 'settings/save', payload }), full);
  if (!reply?.ok) throw new Error(`saving settings failed: ${JSON.stringify(reply)}`);
}

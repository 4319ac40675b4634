/** The options page, opened and ready: its saved settings shown, so typing is not overwritten by them. */
import type { Locator, Page } from 'playwright-core';
import type { Extension } from './chromium.ts';

/** The form that holds the connection settings, their buttons and their status and alert lines. */
export const connectionForm = (page: Page): Locator => page.getByRole('form', { name: 'Connection' });

export async function openOptions(extension: Extension): Promise<Page> {
  const page = await extension.openPage('options.html');
  await optionsReady(page);
  return page;
}

/** After a load or reload: the saved settings are in the form (it is no longer aria-busy) and Save is enabled. */
export async function optionsReady(page: Page): Promise<void> {
  await page.locator('form[aria-busy="false"]').waitFor();
  await connectionForm(page).getByRole('button', { name: 'Save', disabled: false }).waitFor();
}

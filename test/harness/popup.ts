/** The popup's forms and list, reached by role and accessible name as a person would. */
import type { Locator, Page } from 'playwright-core';
import type { ImageMetadata } from '../../src/shared/imageMetadata.ts';

export const lookUpForm = (page: Page): Locator => page.getByRole('form', { name: 'Look up image' });
export const uploadForm = (page: Page): Locator => page.getByRole('form', { name: 'Upload image' });
export const recentUploads = (page: Page): Locator => page.getByRole('list', { name: 'Recent uploads' });

export async function fillMetadata(form: Locator, { type = '', id = '', ds = '', cid = '' }: ImageMetadata): Promise<void> {
  await form.getByRole('combobox', { name: 'Type' }).selectOption(type);
  await form.getByRole('textbox', { name: 'ID', exact: true }).fill(id);
  await form.getByRole('textbox', { name: 'Datasource' }).fill(ds);
  await form.getByRole('textbox', { name: 'Content ID' }).fill(cid);
}

/** The "Recent uploads" item of a file, once it shows the given state in words. */
export function uploadItem(page: Page, fileName: string): Locator {
  return recentUploads(page).getByRole('listitem', { name: fileName });
}

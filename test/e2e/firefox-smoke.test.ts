/** Firefox ESR installs the dev build, creates its right-click items and shows its popup. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchFirefoxExtension } from '../harness/firefox.ts';

test('Firefox installs the extension, creates its image menu items and opens its popup with the look-up form', async () => {
  const firefox = await launchFirefoxExtension();
  try {
    const popup = await firefox.openPage('popup.html');
    const form = await popup.waitForSelector('::-p-aria(Look up image[role="form"])');
    assert.ok(form, 'the "Look up image" form is there');
    const button = await popup.waitForSelector('::-p-aria(Look up[role="button"])');
    assert.ok(button);
    // The background created both image menu items at install: updating a missing one rejects.
    await popup.evaluate(() => {
      const { contextMenus } = (globalThis as unknown as { browser: { contextMenus: { update(id: string, changes: object): Promise<void> } } }).browser;
      return Promise.all(['upload-image', 'upload-image-with-details'].map((id) => contextMenus.update(id, {})));
    });
  } finally {
    await firefox.close();
  }
});

/** Firefox ESR installs the dev build and shows its popup. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchFirefoxExtension } from '../harness/firefox.ts';

test('Firefox installs the extension and opens its popup with the look-up form', async () => {
  const firefox = await launchFirefoxExtension();
  try {
    const popup = await firefox.openPage('popup.html');
    const form = await popup.waitForSelector('::-p-aria(Look up image[role="form"])');
    assert.ok(form, 'the "Look up image" form is there');
    const button = await popup.waitForSelector('::-p-aria(Look up[role="button"])');
    assert.ok(button);
  } finally {
    await firefox.close();
  }
});

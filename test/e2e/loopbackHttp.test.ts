/**
 * Plain http:// to this computer is a dev-build convenience (the sandbox, a local Glean): the store
 * builds people install refuse it, in the options page and so in the worker, which share
 * src/glean/instance.ts and its build-time default (src/shared/buildFlavour.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchExtension } from '../harness/chromium.ts';
import { readLocalStorage } from '../harness/configure.ts';
import { connectionForm, openOptions } from '../harness/options.ts';

/** Types an http://127.0.0.1 instance and a token into the options page of `build` and presses Save. */
async function saveLoopbackHttp(build: string, check: (form: ReturnType<typeof connectionForm>) => Promise<void>): Promise<Record<string, unknown>> {
  const extension = await launchExtension({ build });
  try {
    const page = await openOptions(extension);
    const form = connectionForm(page);
    await form.getByRole('textbox', { name: 'Glean instance' }).fill('http://127.0.0.1:8787');
    await form.getByLabel('API token').fill('a-local-token-1234');
    await form.getByRole('button', { name: 'Save' }).click();
    await check(form);
    return await readLocalStorage(extension);
  } finally {
    await extension.close();
  }
}

test('the store build refuses an http://127.0.0.1 instance and saves nothing', async () => {
  const stored = await saveLoopbackHttp('chrome', async (form) => {
    await form
      .getByRole('alert')
      .filter({ hasText: 'Use https://. Plain http:// is not accepted (only development builds of the extension accept it, for 127.0.0.1 and localhost).' })
      .waitFor();
  });
  assert.ok(!JSON.stringify(stored).includes('127.0.0.1'), `nothing was saved: ${JSON.stringify(stored)}`);
});

test('the dev build accepts an http://127.0.0.1 instance', async () => {
  const stored = await saveLoopbackHttp('chrome-dev', async (form) => {
    await form.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  });
  assert.ok(JSON.stringify(stored).includes('http://127.0.0.1:8787'), `the instance was saved: ${JSON.stringify(stored)}`);
});

/**
 * "Sign in with Glean", end to end in Chromium against the sandbox's authorization server, through
 * the real Options page, popup and sign-in window: signing in, lookups and uploads with the access
 * token, refreshing it, a sign-in that ends while an upload waits, a closed window, refused
 * registration, and signing out.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { clearSettings, readLocalStorage } from '../harness/configure.ts';
import { eventually } from '../harness/eventually.ts';
import { pngFile } from '../harness/files.ts';
import { connectionForm, openOptions } from '../harness/options.ts';
import { lookUpForm, uploadForm, uploadItem } from '../harness/popup.ts';
import { signInFromOptions } from '../harness/signIn.ts';

let sandbox: Sandbox;
let extension: Extension;
const pages: Page[] = [];

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  extension = await launchExtension();
});
after(async () => {
  await extension?.close();
  await sandbox?.close();
});
beforeEach(async () => {
  sandbox.oauth.setRegistration('any');
  sandbox.oauth.endSessions();
  sandbox.oauth.setSilentSignIn(true);
  await clearSettings(extension);
});
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

async function open(path: string): Promise<Page> {
  const page = path === 'options.html' ? await openOptions(extension) : await extension.openPage(path);
  pages.push(page);
  return page;
}

/** Types the sandbox as the instance on a fresh Options page and signs in there. */
async function signIn(answer: 'Allow' | 'Deny' | 'close' = 'Allow'): Promise<Page> {
  const options = await open('options.html');
  await connectionForm(options).getByRole('textbox', { name: 'Glean instance' }).fill(sandbox.url);
  await signInFromOptions(extension, options, answer);
  return options;
}

/** Looks up a sample by key in a fresh popup, until Glean answered it. */
async function lookUp(key: string): Promise<void> {
  const popup = await open('popup.html');
  await lookUpForm(popup).getByRole('textbox', { name: 'Key' }).fill(key);
  await lookUpForm(popup).getByRole('button', { name: 'Look up' }).click();
  await popup.getByRole('img', { name: /^Glean image/ }).waitFor();
  await lookUpForm(popup).getByRole('status').filter({ hasText: 'from Glean' }).waitFor();
}

const sample = (): string => sandbox.samples[0]?.key ?? '';
const since = (count: number) => sandbox.requests.slice(count);
const refreshes = (count: number) => since(count).filter((request) => request.oauth?.endpoint === 'token' && request.oauth.grantType === 'refresh_token');

test('sign in: "Allow" signs in, and lookups and uploads go with the access token, no API token needed', async () => {
  const options = await signIn();
  assert.match((await options.getByText(/^Signed in to /).textContent()) ?? '', new RegExp(`Signed in to ${new URL(sandbox.url).host}`));
  assert.equal(await connectionForm(options).getByRole('button', { name: 'Sign out' }).count(), 1);
  assert.equal(await options.getByRole('textbox', { name: 'Redirect URL' }).inputValue(), `https://${extension.id}.chromiumapp.org/`);

  const before = sandbox.requests.length;
  await lookUp(sample());
  const popup = await open('popup.html');
  await uploadForm(popup).getByLabel('Image file').setInputFiles((await pngFile('signed-in.png')).path);
  await uploadForm(popup).getByRole('combobox', { name: 'Type' }).selectOption('UGC');
  await uploadForm(popup).getByRole('button', { name: 'Upload' }).click();
  await uploadItem(popup, 'signed-in.png').filter({ hasText: 'Uploaded' }).waitFor({ timeout: 15_000 });
  const api = since(before).filter((request) => request.operation !== undefined);
  assert.ok(api.length >= 2, 'a lookup and an upload reached Glean');
  for (const request of api) assert.equal(request.credential, 'glean-oauth', `${request.method} ${request.path} went with the sign-in's access token`);
  assert.ok(api.every((request) => request.headers['x-glean-auth-type'] === undefined), 'no IdP header for Glean-issued tokens');
});

test('sign in: an access token Glean refuses as expired is refreshed once, and the lookup succeeds with no error shown', async () => {
  await signIn();
  await lookUp(sample());
  sandbox.oauth.expireAccessTokens();
  const before = sandbox.requests.length;
  const popup = await open('popup.html');
  await lookUpForm(popup).getByRole('textbox', { name: 'Key' }).fill(sample());
  await lookUpForm(popup).getByRole('button', { name: 'Look up' }).click();
  // The cached copy shows at once; Glean's answer replaces it once the refreshed token got it.
  await lookUpForm(popup).getByRole('status').filter({ hasText: 'from Glean' }).waitFor();
  assert.equal(await lookUpForm(popup).getByRole('alert').textContent(), '', 'no error shown');
  assert.equal(refreshes(before).length, 1, 'exactly one refresh');
  const lookups = since(before).filter((request) => request.operation === 'images');
  assert.deepEqual(lookups.map((request) => request.status), [401, 200], 'refused once, then answered with the new token');
});

test('sign in: every sample image (16) looked up at once with an expired access token makes one refresh request', async () => {
  await signIn();
  const popup = await open('popup.html');
  sandbox.oauth.expireAccessTokens();
  const before = sandbox.requests.length;
  const replies = await popup.evaluate(
    (keys) =>
      Promise.all(
        keys.map(async (key) => {
          const response = await fetch(`/glean/image?key=${encodeURIComponent(key)}`);
          return response.ok ? 'ok' : `${response.status} ${await response.text()}`;
        }),
      ),
    sandbox.samples.map((image) => image.key),
  );
  assert.equal(replies.length, 16, 'the sandbox seeds two images of each of the eight types');
  assert.deepEqual(replies.filter((reply) => reply !== 'ok'), []);
  assert.equal(refreshes(before).length, 1);
});

test('sign in: a sign-in that ends holds an upload ("Waiting for sign-in"), which completes after signing in again', async () => {
  await signIn();
  sandbox.oauth.revokeRefreshTokens();
  sandbox.oauth.expireAccessTokens();
  sandbox.oauth.endSessions(); // No silent way back: the person must press the button.
  const popup = await open('popup.html');
  await uploadForm(popup).getByLabel('Image file').setInputFiles((await pngFile('while-signed-out.png')).path);
  await uploadForm(popup).getByRole('combobox', { name: 'Type' }).selectOption('UGC');
  await uploadForm(popup).getByRole('button', { name: 'Upload' }).click();
  await uploadItem(popup, 'while-signed-out.png').filter({ hasText: 'Waiting for sign-in' }).waitFor({ timeout: 15_000 });
  const again = await open('popup.html');
  await again.getByText('Your sign-in has ended: sign in again.').waitFor();
  await again.getByRole('button', { name: 'Sign in with Glean' }).waitFor();
  const worker = await extension.worker();
  assert.equal(await worker.evaluate(() => chrome.action.getBadgeText({})), '!');

  const options = await open('options.html');
  await signInFromOptions(extension, options);
  await uploadItem(again, 'while-signed-out.png').filter({ hasText: 'Uploaded' }).waitFor({ timeout: 15_000 });
});

test('sign in: closing the sign-in window says so and stores nothing', async () => {
  const options = await signIn('close');
  await connectionForm(options).getByRole('alert').filter({ hasText: 'the sign-in window was closed' }).waitFor();
  assert.equal('gleanSignIn' in (await readLocalStorage(extension)), false);
  assert.equal(await connectionForm(options).getByRole('button', { name: 'Sign in with Glean' }).count(), 1);
});

test('sign in: registration disabled names the redirect URL an administrator must allow', async () => {
  sandbox.oauth.setRegistration('disabled');
  const options = await open('options.html');
  await connectionForm(options).getByRole('textbox', { name: 'Glean instance' }).fill(sandbox.url);
  await connectionForm(options).getByRole('button', { name: 'Sign in with Glean' }).click();
  const alert = connectionForm(options).getByRole('alert').filter({ hasText: 'did not let the extension register' });
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', new RegExp(`https://${extension.id}\\.chromiumapp\\.org/`));
  assert.equal('gleanSignIn' in (await readLocalStorage(extension)), false);
});

test('sign in: after "Sign out" no credential is sent, and the popup offers to sign in', async () => {
  const options = await signIn();
  await connectionForm(options).getByRole('button', { name: 'Sign out' }).click();
  await connectionForm(options).getByRole('status').filter({ hasText: 'Signed out.' }).waitFor();
  const before = sandbox.requests.length;
  const popup = await open('popup.html');
  await popup.getByRole('button', { name: 'Sign in with Glean' }).waitFor();
  await lookUpForm(popup).getByRole('textbox', { name: 'Key' }).fill(sample());
  await lookUpForm(popup).getByRole('button', { name: 'Look up' }).click();
  await lookUpForm(popup).getByRole('alert').filter({ hasText: /Sign in with Glean/ }).waitFor();
  // The revocation request of the sign-out may still arrive; no images request may.
  await eventually('the sign-out revocation to settle', () => (sandbox.requests.some((r) => r.oauth?.endpoint === 'revoke') ? true : undefined));
  assert.deepEqual(since(before).filter((request) => request.operation !== undefined), []);
});

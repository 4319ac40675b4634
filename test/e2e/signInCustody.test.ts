/// <reference types="chrome" />
/**
 * Token custody of a sign-in, end to end in Chromium: one whole signed-in session, from "Sign in with
 * Glean" to "Sign out" (test the connection, look up, an expired access token refreshed, failures whose
 * error pages echo the tokens, an upload, a right-click upload), recorded from every side a leak could
 * show up on (test/harness/custody.ts, shared with tokenCustody.test.ts). Every access and refresh token
 * the sandbox issued, read from the sandbox itself, must appear in none of them, and reach no server but
 * the sandbox: access tokens only as `Authorization: Bearer …` to the images API, refresh tokens only
 * in the body of a POST to the token endpoint (`refresh_token`) or the revocation endpoint (`token`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { API_PREFIX } from '../../sandbox/recorder.ts';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox/server.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { assertNoLeak, formsOf, readAround, recordCustody, rightClickUpload, type CustodyRecorder, type Recorded } from '../harness/custody.ts';
import { pngFile } from '../harness/files.ts';
import { startImageSite, type ImageSite } from '../harness/imageSite.ts';
import { connectionForm, openOptions } from '../harness/options.ts';
import { fillMetadata, lookUpForm, uploadForm, uploadItem } from '../harness/popup.ts';
import { signInFromOptions } from '../harness/signIn.ts';

let sandbox: Sandbox;
let site: ImageSite;
let extension: Extension;
let custody: CustodyRecorder;

/** The newest tokens the sandbox issued, to echo back in its error pages as a careless server might. */
function latestTokens(): { access: string; refresh: string } {
  const { accessTokens, refreshTokens } = sandbox.oauth.issuedTokenValues;
  return { access: accessTokens.at(-1) ?? '', refresh: refreshTokens.at(-1) ?? '' };
}

async function lookUp(popup: Page, key: string, outcome: { status: string } | { alert: RegExp }): Promise<void> {
  const look = lookUpForm(popup);
  await look.getByRole('textbox', { name: 'Key' }).fill(key);
  await look.getByRole('button', { name: 'Look up' }).click();
  if ('status' in outcome) await look.getByRole('status').filter({ hasText: outcome.status }).waitFor();
  else await look.getByRole('alert').filter({ hasText: outcome.alert }).waitFor();
}

before(async () => {
  [sandbox, site] = await Promise.all([startSandbox({ port: 0 }), startImageSite()]);
  extension = await launchExtension();
  custody = await recordCustody(extension);

  // Options: the server and the right-click defaults, then "Sign in with Glean", "Allow", and a connection test.
  const options = await openOptions(extension);
  await connectionForm(options).getByRole('textbox', { name: 'Glean instance' }).fill(sandbox.url);
  const group = options.getByRole('group', { name: 'Right-click uploads' });
  await group.getByRole('combobox', { name: 'Type' }).selectOption('UGC');
  await group.getByRole('textbox', { name: 'ID', exact: true }).fill('custody-menu');
  await connectionForm(options).getByRole('button', { name: 'Save' }).click();
  await connectionForm(options).getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  await signInFromOptions(extension, options);
  await connectionForm(options).getByRole('button', { name: 'Test connection' }).click();
  await connectionForm(options).getByRole('status').filter({ hasText: `Connected to ${new URL(sandbox.url).host}` }).waitFor();

  // The popup: a lookup; one whose error page echoes both tokens; one after the access token expired (refreshed).
  const popup = await extension.openPage('popup.html');
  const [first, second] = sandbox.samples;
  assert.ok(first && second);
  await lookUp(popup, first.key, { status: 'from Glean' });
  const echoed = latestTokens();
  sandbox.fault({ status: 403, operation: 'images', contentType: 'text/html', body: `<pre>Authorization: Bearer ${echoed.access}\nrefresh_token=${echoed.refresh}</pre>` });
  await lookUp(popup, 'no-such-key', { alert: /permission/ });
  sandbox.oauth.expireAccessTokens();
  await lookUp(popup, second.key, { status: 'from Glean' });
  await sandbox.waitForRequests(1, { oauth: 'token', grantType: 'refresh_token' });

  // An upload whose error answer echoes the new tokens, then Retry.
  const renewed = latestTokens();
  const upload = uploadForm(popup);
  sandbox.fault({ status: 400, operation: 'uploadimage', contentType: 'application/json', body: JSON.stringify({ error: 'bad', echo: `Bearer ${renewed.access}`, url: `?refresh_token=${renewed.refresh}` }) });
  await upload.getByLabel('Image file').setInputFiles((await pngFile('custody-signed-in.png')).path);
  await fillMetadata(upload, { type: 'UGC', id: 'custody-signed-in' });
  await upload.getByRole('button', { name: 'Upload' }).click();
  const item = uploadItem(popup, 'custody-signed-in.png');
  await item.getByText('Failed', { exact: true }).waitFor();
  await item.getByRole('button', { name: 'Retry' }).click();
  await item.getByText('Uploaded', { exact: true }).waitFor();

  await rightClickUpload(extension, site, sandbox, popup, 'custody-menu');
  await readAround(custody, [options, popup], { before: 'signed in', after: 'signed out' }, async () => {
    await connectionForm(options).getByRole('button', { name: 'Sign out' }).click();
    await connectionForm(options).getByRole('status').filter({ hasText: 'Signed out.' }).waitFor();
  });
});

after(async () => {
  await extension?.close();
  await Promise.all([sandbox?.close(), site?.close()]);
});

/** Every token the sandbox issued in the session, read at the end (refresh tokens rotate: each refresh made new ones). */
function issued(): { accessTokens: readonly string[]; refreshTokens: readonly string[]; leaks: (text: string) => boolean } {
  const { accessTokens, refreshTokens } = sandbox.oauth.issuedTokenValues;
  const forms = [...accessTokens, ...refreshTokens].flatMap(formsOf);
  return { accessTokens, refreshTokens, leaks: (text) => forms.some((form) => text.includes(form)) };
}

const noLeakIn = (kind: Recorded['kind'], atLeast: number): void => assertNoLeak(custody.recorded, kind, atLeast, issued().leaks);

/** A request as recorded, but for one form field that may rightly carry a token. */
function withoutField(request: RecordedRequest, field?: string): string {
  const form = Object.entries(request.oauth?.form ?? {}).filter(([name]) => name !== field);
  return JSON.stringify({ method: request.method, path: request.path, query: request.query, headers: request.headers, form });
}

describe('token custody over a whole signed-in session, from sign-in to sign-out', () => {
  test('the sandbox issued several access and refresh tokens (sign-in, then a refresh that rotated them)', () => {
    const { accessTokens, refreshTokens } = issued();
    assert.ok(accessTokens.length >= 2, `${accessTokens.length} access tokens`);
    assert.ok(refreshTokens.length >= 2, `${refreshTokens.length} refresh tokens`);
  });

  test('no reply to any message a page sent holds a token', () => {
    // settings/get ×2, save, sign in, test, three lookups, upload start, retry, sign out, cache stats…
    noLeakIn('reply', 8);
    assert.ok(custody.recorded.some((r) => r.kind === 'reply' && r.text.includes('"signIn"')), 'the pages did learn that they are signed in');
  });

  test('no port message a page received holds a token', () => {
    noLeakIn('port', 0);
  });

  test('no storage change event the browser handed a page holds a token', () => {
    noLeakIn('storage', 3);
    assert.ok(custody.recorded.some((r) => r.kind === 'storage' && r.text.includes('"gleanSignIn"')), 'the stored sign-in itself was seen');
  });

  test('no page shows or can read a token: DOM, fields, IndexedDB, storage.session, storage.local', () => {
    const { leaks } = issued();
    assert.equal(custody.readable.length, 4);
    for (const { where, text } of custody.readable) {
      assert.ok(text.includes('custody-signed-in.png'), `${where}: the read reached the upload jobs`);
      assert.ok(!leaks(text), `${where} holds a token`);
    }
    assert.ok(custody.readable.some(({ where, text }) => where.includes('signed in') && text.includes('gleanSignIn')), 'the read reached the stored (sealed) sign-in');
  });

  test('no console message of the pages or the worker holds a token', () => {
    noLeakIn('console', 2);
    assert.ok(custody.recorded.some((r) => r.kind === 'console' && r.where === 'worker' && r.text.includes('notification: Uploaded to Glean')), 'the worker console was heard');
  });

  test('the images API gets access tokens only as Authorization: Bearer, and nothing else of either token', () => {
    const { accessTokens, leaks } = issued();
    const api = sandbox.requests.filter((r) => r.path.startsWith(API_PREFIX));
    assert.ok(api.length >= 7, `${api.length} requests reached the images API`);
    for (const request of api) {
      const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      assert.ok(accessTokens.includes(bearer), `${request.method} ${request.path} went with an access token the sandbox issued`);
      const { authorization: _, ...others } = request.headers;
      assert.ok(!leaks(JSON.stringify({ path: request.path, query: request.query, headers: others })), `${request.path} carries a token elsewhere`);
    }
  });

  test('refresh tokens go only in a POST body: refresh_token to the token endpoint, token to the revocation endpoint', () => {
    const { refreshTokens, leaks } = issued();
    const oauth = sandbox.requests.filter((r) => r.oauth !== undefined);
    const refreshes = oauth.filter((r) => r.oauth?.endpoint === 'token' && r.oauth.grantType === 'refresh_token');
    const revocations = oauth.filter((r) => r.oauth?.endpoint === 'revoke');
    assert.equal(refreshes.length, 1, 'one refresh, after the access token expired');
    assert.equal(revocations.length, 1, 'one revocation, at sign-out');
    for (const request of refreshes) {
      assert.equal(request.method, 'POST');
      assert.ok(refreshTokens.includes(request.oauth?.form?.refresh_token ?? ''), 'the refresh sent a refresh token the sandbox issued');
    }
    for (const request of revocations) {
      assert.equal(request.method, 'POST');
      assert.ok(refreshTokens.includes(request.oauth?.form?.token ?? ''), 'sign-out revoked a refresh token, not an access token');
    }
    for (const request of oauth) {
      const field = request === refreshes[0] ? 'refresh_token' : request === revocations[0] ? 'token' : undefined;
      assert.ok(!leaks(withoutField(request, field)), `${request.method} ${request.path} carries a token where it should not`);
    }
    // The rest of what reached the sandbox's origin (a favicon, say): no token at all.
    for (const request of sandbox.requests.filter((r) => r.oauth === undefined && !r.path.startsWith(API_PREFIX))) {
      assert.ok(!leaks(withoutField(request)), `${request.method} ${request.path} carries a token`);
    }
  });

  test('the image site, another server, never gets a token: not in a header, the address or a body', () => {
    const { leaks } = issued();
    assert.ok(site.requests.some((r) => r.path === '/picture-web.png' && r.headers['sec-fetch-site'] === 'none'), 'the worker fetched the image');
    for (const request of site.requests) {
      assert.ok(!leaks(JSON.stringify(request)), `${request.path} carries a token`);
      assert.equal(request.headers['content-length'] ?? '0', '0');
    }
  });
});

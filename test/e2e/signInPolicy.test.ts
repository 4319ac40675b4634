/**
 * Signing in as an administrator set it up by enterprise policy, in a Chromium that reads the policy
 * (test/harness/policy.ts): a static OAuth client (no registration request), and the company's
 * identity provider (its access tokens go to Glean with X-Glean-Auth-Type: OAUTH).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startIdentityProvider, startSandbox, type IdentityProvider, type Sandbox } from '../../sandbox/server.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { connectionForm, openOptions } from '../harness/options.ts';
import { buildWithPolicy, canWritePolicy, MANAGED_POLICY_DIR, waitForManaged } from '../harness/policy.ts';
import { lookUpForm } from '../harness/popup.ts';
import { signInFromOptions } from '../harness/signIn.ts';

const CHROME_REDIRECTS = ['https://*.chromiumapp.org/*'];

let sandbox: Sandbox;
let identityProvider: IdentityProvider;

before(async () => {
  assert.ok(await canWritePolicy(), `these tests write a policy into ${MANAGED_POLICY_DIR}: run them as root (CI does)`);
  sandbox = await startSandbox({ port: 0 });
  identityProvider = await startIdentityProvider();
  sandbox.trust(identityProvider);
});
after(async () => {
  await sandbox?.close();
  await identityProvider?.close();
});

/** A browser whose policy is `policy`; signs in from Options (the instance comes from the policy) and looks a sample up. */
async function signInUnderPolicy(policy: Record<string, unknown>): Promise<void> {
  const managed = await buildWithPolicy({ server: sandbox.url, ...policy });
  let browser: Extension | undefined;
  try {
    browser = await launchExtension({ extensionDir: managed.dir });
    await waitForManaged(await browser.worker(), 'server');
    const options = await openOptions(browser);
    assert.equal(await connectionForm(options).getByRole('textbox', { name: 'Glean instance' }).getAttribute('readonly'), '');
    await signInFromOptions(browser, options);
    const popup = await browser.openPage('popup.html');
    await lookUpForm(popup).getByRole('textbox', { name: 'Key' }).fill(sandbox.samples[0]?.key ?? '');
    await lookUpForm(popup).getByRole('button', { name: 'Look up' }).click();
    await lookUpForm(popup).getByRole('status').filter({ hasText: 'from Glean' }).waitFor();
  } finally {
    await browser?.close();
    await managed.remove();
  }
}

test('sign in by policy: a static client id signs in with no registration request', async () => {
  const clientId = sandbox.oauth.addStaticClient({ redirectUriPatterns: CHROME_REDIRECTS });
  const before = sandbox.requests.length;
  await signInUnderPolicy({ signInMethod: 'glean', oauthClientId: clientId });
  const requests = sandbox.requests.slice(before);
  assert.deepEqual(requests.filter((request) => request.oauth?.endpoint === 'register'), [], 'no registration');
  const authorize = requests.find((request) => request.oauth?.endpoint === 'authorize');
  assert.equal(authorize?.query.client_id, clientId, 'the policy client signed in');
  const lookups = requests.filter((request) => request.operation === 'images');
  assert.ok(lookups.length > 0 && lookups.every((request) => request.credential === 'glean-oauth'));
});

test("sign in by policy: the company's identity provider, whose tokens go to Glean with X-Glean-Auth-Type: OAUTH", async () => {
  const clientId = identityProvider.addClient({ redirectUriPatterns: CHROME_REDIRECTS });
  const before = sandbox.requests.length;
  await signInUnderPolicy({ signInMethod: 'idp', idpIssuer: identityProvider.issuer, idpClientId: clientId });
  const requests = sandbox.requests.slice(before);
  assert.deepEqual(requests.filter((request) => request.oauth !== undefined), [], "Glean's own sign-in was not used");
  const lookups = requests.filter((request) => request.operation === 'images');
  assert.ok(lookups.length > 0);
  for (const request of lookups) {
    assert.equal(request.credential, 'idp-oauth');
    assert.equal(request.headers['x-glean-auth-type'], 'OAUTH');
    assert.equal(request.status, 200);
  }
});

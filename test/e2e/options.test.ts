/**
 * The options page, end to end: what is saved and what is refused, that the token never comes back
 * to the page, the act-as and auth-type headers on the wire, and what "Test connection" concludes.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startSandbox, type Fault, type Sandbox } from '../../sandbox/server.ts';
import type { InstanceProblem } from '../../src/glean/instance.ts';
import { instanceProblemMessage } from '../../src/shared/instanceProblems.ts';
import { launchExtension, type Extension } from '../harness/chromium.ts';
import { clearSettings, readLocalStorage, saveSettings } from '../harness/configure.ts';
import { connectionForm, openOptions, optionsReady } from '../harness/options.ts';
import { buildWithPolicy, canWritePolicy, MANAGED_POLICY_DIR, waitForManaged } from '../harness/policy.ts';
import { requestsFrom } from '../harness/requests.ts';

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
  sandbox.clearFaults();
  await sandbox.goOnline();
  await clearSettings(extension);
});
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

async function options(): Promise<Page> {
  const page = await openOptions(extension);
  pages.push(page);
  return page;
}

/** Fills the connection fields as a person would and presses Save; waits for the outcome. */
async function saveThroughPage(page: Page, fields: { instance?: string; token?: string; actAs?: string; authType?: '' | 'OAUTH' }): Promise<void> {
  if (fields.instance !== undefined) await connectionForm(page).getByRole('textbox', { name: 'Glean instance' }).fill(fields.instance);
  if (fields.token !== undefined) await connectionForm(page).getByLabel('API token').fill(fields.token);
  if (fields.actAs !== undefined) await connectionForm(page).getByRole('textbox', { name: 'Act as' }).fill(fields.actAs);
  if (fields.authType !== undefined) await connectionForm(page).getByRole('combobox', { name: 'Auth type' }).selectOption(fields.authType);
  await connectionForm(page).getByRole('button', { name: 'Save' }).click();
}

const tokenHint = (token: string): string => `Token saved (ends in …${token.slice(-4)})`;

test('options: a saved token never comes back to the page, only its last four characters', async () => {
  const page = await options();
  assert.equal(await connectionForm(page).getByLabel('API token').getAttribute('type'), 'password');
  await saveThroughPage(page, { instance: sandbox.url, token: sandbox.token });
  await connectionForm(page).getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  assert.equal(await connectionForm(page).getByLabel('API token').inputValue(), '', 'the field is emptied once saved');
  await connectionForm(page).getByText(tokenHint(sandbox.token)).waitFor();

  await page.reload();
  await optionsReady(page);
  await connectionForm(page).getByText(tokenHint(sandbox.token)).waitFor();
  assert.equal(await connectionForm(page).getByRole('textbox', { name: 'Glean instance' }).inputValue(), sandbox.url);
  assert.equal(await connectionForm(page).getByLabel('API token').inputValue(), '');
  const values = await page.locator('input, select, textarea').evaluateAll((fields) =>
    fields.map((field) => (field as HTMLInputElement).value),
  );
  assert.ok(!values.some((value) => value.includes(sandbox.token)), 'in no field');
  assert.ok(!(await page.content()).includes(sandbox.token), 'nowhere in the page');
  const stored = (await readLocalStorage(extension)).gleanApiToken;
  assert.ok(stored, 'yet saved for the worker');
  // Sealed (src/worker/tokenSeal.ts): every page hears of storage.local changes.
  assert.ok(!JSON.stringify(stored).includes(sandbox.token), 'and not as text');
});

test('options: "Remove token" forgets the token, and the connection test then asks for one', async () => {
  const page = await options();
  await saveThroughPage(page, { instance: sandbox.url, token: sandbox.token });
  await connectionForm(page).getByText(tokenHint(sandbox.token)).waitFor();

  await connectionForm(page).getByRole('button', { name: 'Remove token' }).click();
  await connectionForm(page).getByRole('status').filter({ hasText: 'Token removed.' }).waitFor();
  await connectionForm(page).getByText('No token saved.').waitFor();
  assert.equal(await connectionForm(page).getByRole('button', { name: 'Remove token' }).count(), 0);
  const stored = await readLocalStorage(extension);
  assert.equal(stored.gleanApiToken, undefined);
  assert.ok(stored.settings, 'the other settings stay');

  const requests = requestsFrom(sandbox);
  await connectionForm(page).getByRole('button', { name: 'Test connection' }).click();
  await connectionForm(page).getByRole('alert').filter({ hasText: 'Enter your Glean instance and API token, then Save.' }).waitFor();
  assert.equal(requests.all().length, 0, 'nothing is sent without a token');
});

interface RefusedRow {
  name: string;
  field: 'Glean instance' | 'Act as';
  value: string;
  message: string;
}

const instanceRow = (name: string, value: string, problem: InstanceProblem): RefusedRow => ({
  name,
  field: 'Glean instance',
  value,
  message: instanceProblemMessage(problem),
});

const REFUSED: RefusedRow[] = [
  instanceRow('an instance URL with a path', 'https://acme-prod-be.glean.com/rest/api/v1', 'has-path'),
  instanceRow('an instance URL with a query', 'https://acme-prod-be.glean.com/?key=1', 'has-path'),
  instanceRow('credentials in the instance URL', 'https://alex:hunter2@acme-prod-be.glean.com', 'has-credentials'),
  instanceRow('a user name in the instance URL', 'alex@acme-prod-be.glean.com', 'has-credentials'),
  instanceRow('an ftp:// instance', 'ftp://acme-prod-be.glean.com', 'bad-scheme'),
  instanceRow('a javascript: instance', 'javascript:alert(1)', 'bad-scheme'),
  instanceRow('a non-loopback http:// instance', 'http://acme-prod-be.glean.com', 'insecure-http'),
  instanceRow('an http:// instance on a LAN address', 'http://192.168.1.20:8080', 'insecure-http'),
  instanceRow('an instance with spaces', 'acme prod', 'invalid'),
  instanceRow('an empty instance', '', 'empty'),
  { name: 'an act-as that is not an email', field: 'Act as', value: 'alex at example.com', message: '“Act as” must be an email address' },
];

for (const row of REFUSED) {
  test(`options: ${row.name} is refused with an alert and nothing is saved`, async () => {
    const page = await options();
    await saveSettings(page, { instance: sandbox.url, token: sandbox.token });
    await page.reload();
  await optionsReady(page);
    await optionsReady(page);
    await connectionForm(page).getByText(tokenHint(sandbox.token)).waitFor();
    const before = await readLocalStorage(extension);

    await connectionForm(page).getByRole('textbox', { name: row.field }).fill(row.value);
    await saveThroughPage(page, { token: 'another-token-5678' });
    await connectionForm(page).getByRole('alert').filter({ hasText: row.message }).waitFor();
    assert.equal(await connectionForm(page).getByRole('status').innerText(), '');
    assert.deepEqual(await readLocalStorage(extension), before);
    // The page still shows what the person typed, to correct it.
    assert.equal(await connectionForm(page).getByRole('textbox', { name: row.field }).inputValue(), row.value);
  });
}

test('options: act-as and auth type are saved, shown again, and sent as X-Glean-ActAs and X-Glean-Auth-Type', async () => {
  const page = await options();
  await saveThroughPage(page, { instance: sandbox.url, token: sandbox.token, actAs: 'alex@example.com', authType: 'OAUTH' });
  await connectionForm(page).getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  await page.reload();
  await optionsReady(page);
  await connectionForm(page).getByText(tokenHint(sandbox.token)).waitFor();
  assert.equal(await connectionForm(page).getByRole('textbox', { name: 'Act as' }).inputValue(), 'alex@example.com');
  assert.equal(await connectionForm(page).getByRole('combobox', { name: 'Auth type' }).inputValue(), 'OAUTH');

  const withHeaders = requestsFrom(sandbox);
  await connectionForm(page).getByRole('button', { name: 'Test connection' }).click();
  await connectionForm(page).getByRole('status').filter({ hasText: 'Glean accepted the token' }).waitFor();
  const [sent] = await withHeaders.waitFor(1);
  assert.equal(sent?.headers['x-glean-actas'], 'alex@example.com');
  assert.equal(sent?.headers['x-glean-auth-type'], 'OAUTH');
  assert.equal(sent?.headers.authorization, `Bearer ${sandbox.token}`);

  // Cleared again (the token field left empty keeps the saved token): neither header is sent.
  await saveThroughPage(page, { actAs: '', authType: '' });
  await connectionForm(page).getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  await connectionForm(page).getByText(tokenHint(sandbox.token)).waitFor();
  const without = requestsFrom(sandbox);
  await connectionForm(page).getByRole('button', { name: 'Test connection' }).click();
  await connectionForm(page).getByRole('status').filter({ hasText: 'Glean accepted the token' }).waitFor();
  const [plain] = await without.waitFor(1);
  assert.equal(plain?.headers['x-glean-actas'], undefined);
  assert.equal(plain?.headers['x-glean-auth-type'], undefined);
  assert.equal(plain?.headers.authorization, `Bearer ${sandbox.token}`);
});

interface VerdictRow {
  name: string;
  token?: string;
  fault?: Fault;
  offline?: boolean;
  role: 'status' | 'alert';
  /** What the message must say; `HOST` stands for the sandbox's host:port. */
  says: string[];
  /** The answers the one request got; none when the sandbox is offline. */
  statuses: Array<number | 'reset' | 'hang'>;
}

const VERDICTS: VerdictRow[] = [
  { name: 'reachable and accepted (404 for a random key)', role: 'status', says: ['Connected to HOST: Glean accepted the token.'], statuses: [404] },
  {
    name: 'what a 400 said, and that a global token needs "Act as" (a global token without it gets a 400)',
    fault: { status: 400, body: 'Required header missing: X-Glean-ActAs' },
    role: 'alert',
    says: ['HOST refused the test request (400): “Required header missing: X-Glean-ActAs”.', 'A global token also needs “Act as”: enter the email of the person to act as, then Save.'],
    statuses: [400],
  },
  {
    name: 'token rejected (a wrong token: 401)',
    token: 'not-the-sandbox-token-0000',
    role: 'alert',
    says: ['HOST rejected the API token (401).', 'Paste a valid token'],
    statuses: [401],
  },
  {
    name: 'not permitted (403)',
    fault: { status: 403, body: 'forbidden' },
    role: 'alert',
    says: ['HOST accepted the token but refused access (403)', 'permission or scope', 'Glean admin'],
    statuses: [403],
  },
  {
    name: 'Glean had a problem (503), without retrying',
    fault: { status: 503, times: 3 },
    role: 'alert',
    says: ['Glean had a problem answering (HTTP 503). Try again later.'],
    statuses: [503],
  },
  {
    name: 'rate limited (429), and for how long',
    fault: { status: 429, retryAfter: '20' },
    role: 'alert',
    says: ['Glean is rate limiting requests. Try again in 20 s.'],
    statuses: [429],
  },
  {
    name: 'a sign-in page instead of the API (200 text/html)',
    fault: { status: 200, body: '<!doctype html><title>Sign in</title>', contentType: 'text/html' },
    role: 'alert',
    says: ['Glean answered with text/html instead of an image, which usually means a sign-in page.'],
    statuses: [200],
  },
  {
    name: 'unreachable (the sandbox is offline)',
    offline: true,
    role: 'alert',
    says: ['Could not reach HOST.', 'network or VPN'],
    statuses: [],
  },
];

for (const row of VERDICTS) {
  test(`options: "Test connection" says ${row.name}, after one request`, async () => {
    const page = await options();
    await saveThroughPage(page, { instance: sandbox.url, token: row.token ?? sandbox.token });
    await connectionForm(page).getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    if (row.fault) sandbox.fault(row.fault);
    if (row.offline) await sandbox.goOffline();
    const requests = requestsFrom(sandbox);

    await connectionForm(page).getByRole('button', { name: 'Test connection' }).click();
    const host = new URL(sandbox.url).host;
    const says = row.says.map((text) => text.replace('HOST', host));
    const shown = connectionForm(page).getByRole(row.role).filter({ hasText: says[0] });
    await shown.waitFor();
    const text = await shown.innerText();
    for (const fragment of says) assert.ok(text.includes(fragment), `${JSON.stringify(text)} says ${JSON.stringify(fragment)}`);
    assert.equal(await connectionForm(page).getByRole(row.role === 'status' ? 'alert' : 'status').innerText(), '');
    assert.deepEqual(requests.all().map((r) => r.status), row.statuses);
    if (row.statuses.length > 0) assert.match(requests.all()[0]?.query.key ?? '', /^connection-test-/);
    assert.ok(!(await page.content()).includes(sandbox.token), 'the token never reaches the page');
  });
}

test('options: an instance set by enterprise policy is shown read-only, "Set by your administrator", and used', async () => {
  // Chromium reads policies only from a root-owned folder; CI runs as root, as .ci/run requires.
  assert.ok(await canWritePolicy(), `this test writes a policy into ${MANAGED_POLICY_DIR}: run it as root (CI does)`);
  const managed = await buildWithPolicy({ server: sandbox.url });
  let browser: Extension | undefined;
  try {
    browser = await launchExtension({ extensionDir: managed.dir });
    assert.equal(browser.id, managed.id, 'the policy names this copy of the extension');
    await waitForManaged(await browser.worker(), 'server');
    const page = await openOptions(browser);
    const instance = connectionForm(page).getByRole('textbox', { name: 'Glean instance' });
    await connectionForm(page).getByText('Set by your administrator').waitFor();
    assert.equal(await instance.inputValue(), sandbox.url);
    assert.equal(await instance.getAttribute('readonly'), '');

    await saveThroughPage(page, { token: sandbox.token });
    await connectionForm(page).getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.equal(await instance.inputValue(), sandbox.url);
    // Even a save that names another server (the field is read-only; this goes round the page) keeps the policy's.
    await saveSettings(page, { instance: 'https://elsewhere-be.glean.com' });
    await page.reload();
    await optionsReady(page);
    assert.equal(await instance.inputValue(), sandbox.url);
    const requests = requestsFrom(sandbox);
    await connectionForm(page).getByRole('button', { name: 'Test connection' }).click();
    await connectionForm(page).getByRole('status').filter({ hasText: `Connected to ${new URL(sandbox.url).host}` }).waitFor();
    assert.equal(requests.all().length, 1);
  } finally {
    await browser?.close();
    await managed.remove();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GleanClient, GleanConnection } from '../../../src/glean/client.ts';
import { GleanError, codeForStatus } from '../../../src/glean/gleanError.ts';
import { testConnection } from '../../../src/worker/connectionTest.ts';

const conn: GleanConnection = { baseUrl: 'https://acme-prod-be.glean.com', token: 'secret-token-1234' };

function failingWith(error: GleanError): GleanClient {
  return {
    getImage: async () => {
      throw error;
    },
    uploadImage: async () => {
      throw new Error('not used');
    },
  };
}

const status = (code: number, retryAfterMs?: number): GleanError =>
  new GleanError(codeForStatus(code), `HTTP ${code}`, { status: code, ...(retryAfterMs ? { retryAfterMs } : {}) });

const ROWS: Array<{ error: GleanError; verdict: string; says: RegExp }> = [
  { error: status(404), verdict: 'ok', says: /^Connected to acme-prod-be\.glean\.com: Glean accepted the token\.$/ },
  { error: status(401), verdict: 'token-rejected', says: /rejected the API token \(401\)/ },
  { error: status(403), verdict: 'not-permitted', says: /permission or scope/ },
  { error: new GleanError('unreachable', 'failed'), verdict: 'unreachable', says: /^Could not reach acme-prod-be\.glean\.com\./ },
  { error: status(503), verdict: 'unexpected', says: /^Glean had a problem answering \(HTTP 503\)\. Try again later\.$/ },
  { error: status(429, 20_000), verdict: 'unexpected', says: /^Glean is rate limiting requests\. Try again in 20 s\.$/ },
  {
    error: new GleanError('bad-response', 'html', { status: 200, contentType: 'text/html' }),
    verdict: 'unexpected',
    says: /sign-in page/,
  },
  { error: status(418), verdict: 'unexpected', says: /answered unexpectedly \(418\)\. Check the instance name\./ },
];

for (const { error, verdict, says } of ROWS) {
  test(`connection test: ${error.status ?? error.code} → ${verdict}`, async () => {
    const report = await testConnection(async () => conn, failingWith(error));
    assert.equal(report.verdict, verdict);
    assert.match(report.message, says);
    assert.ok(!report.message.includes(conn.token));
  });
}

test('connection test: without access to the server, points at "Grant access" and sends nothing', async () => {
  const report = await testConnection(async () => {
    throw new GleanError('no-access', 'no host permission');
  }, failingWith(status(500)));
  assert.equal(report.verdict, 'no-access');
  assert.match(report.message, /has not given Glean Images access to your Glean server\. Choose “Grant access”/);
});

test('connection test: without settings, asks for them and sends nothing', async () => {
  const report = await testConnection(async () => {
    throw new GleanError('not-configured', 'not set');
  }, failingWith(status(500)));
  assert.equal(report.verdict, 'not-configured');
});

test('connection test: a 400 is no success: it quotes what Glean said and says a global token needs "Act as"', async () => {
  const said = new GleanError('bad-request', 'HTTP 400', { status: 400, bodyExcerpt: 'Required header missing: X-Glean-ActAs' });
  const report = await testConnection(async () => conn, failingWith(said));
  assert.equal(report.verdict, 'unexpected');
  assert.equal(report.status, 400);
  assert.equal(
    report.message,
    'acme-prod-be.glean.com refused the test request (400): “Required header missing: X-Glean-ActAs”. A global token also needs “Act as”: enter the email of the person to act as, then Save.',
  );

  const withActAs = await testConnection(async () => ({ ...conn, actAs: 'alex@example.com' }), failingWith(status(400)));
  assert.equal(withActAs.verdict, 'unexpected');
  assert.equal(
    withActAs.message,
    'acme-prod-be.glean.com refused the test request (400) without saying why. Check that “Act as” is the email of a person in your Glean, then Save.',
  );
});

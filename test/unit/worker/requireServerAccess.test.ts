/** Requests to Glean first check the browser's host access to the server (src/worker/requireServerAccess.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GleanConnection } from '../../../src/glean/client.ts';
import { GleanError } from '../../../src/glean/gleanError.ts';
import { describeGleanError } from '../../../src/glean/userMessages.ts';
import { requireServerAccess } from '../../../src/worker/requireServerAccess.ts';
import { retryUploadsWaitingForAccess } from '../../../src/worker/uploads/retryWhenAllowed.ts';
import type { UploadJob } from '../../../src/shared/uploadJob.ts';

const conn: GleanConnection = { baseUrl: 'http://127.0.0.1:8787', token: 'secret-token-1234' };

test('server access: with access, the connection is the settings’ own; the pattern has no port', async () => {
  const asked: string[][] = [];
  const connection = requireServerAccess(async () => conn, async ({ origins }) => {
    asked.push(origins);
    return true;
  });
  assert.deepEqual(await connection(), conn);
  assert.deepEqual(asked, [['http://127.0.0.1/*']]);
});

test('server access: without it, a no-access error that is not retried and says what to do', async () => {
  const connection = requireServerAccess(async () => conn, async () => false);
  const error = await connection().then(
    () => assert.fail('expected no-access'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof GleanError);
  assert.equal(error.code, 'no-access');
  assert.equal(error.retryable, false);
  assert.match(describeGleanError(error, 'lookup'), /Choose “Grant access” in the popup or in Options, then try again\.$/);
  assert.match(describeGleanError(error, 'upload'), /the upload starts again once it is granted\.$/);
  assert.ok(!describeGleanError(error, 'upload').includes(conn.token));
});

test('server access: an unconfigured extension is reported as such, before access is asked', async () => {
  let asked = false;
  const connection = requireServerAccess(
    async () => {
      throw new GleanError('not-configured', 'not set');
    },
    async () => (asked = true),
  );
  await assert.rejects(connection(), (e) => e instanceof GleanError && e.code === 'not-configured');
  assert.equal(asked, false);
});

test('server access granted: only the uploads that failed for want of it are retried', async () => {
  const job = (id: string, state: UploadJob['state'], code?: 'no-access' | 'unauthorized'): UploadJob =>
    ({ id, state, lastError: code ? { code, message: code } : null }) as UploadJob;
  const jobs = [job('a', 'failed', 'no-access'), job('b', 'failed', 'unauthorized'), job('c', 'queued'), job('d', 'failed', 'no-access')];
  const retried: string[] = [];
  await retryUploadsWaitingForAccess({ listJobs: async () => jobs }, { retry: async (id) => void retried.push(id) });
  assert.deepEqual(retried.sort(), ['a', 'd']);
});

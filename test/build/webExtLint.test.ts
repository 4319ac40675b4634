/** The Firefox store build passes `web-ext lint` with no errors (it runs the AMO linter offline). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const root = new URL('../..', import.meta.url).pathname;

test('web-ext lint finds no errors in dist/firefox', async () => {
  const webExt = join(root, 'node_modules', '.bin', 'web-ext');
  const { stdout } = await promisify(execFile)(webExt, ['lint', '--source-dir', join(root, 'dist', 'firefox'), '--output', 'json', '--no-config-discovery'], {
    maxBuffer: 10 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const report = JSON.parse(stdout) as { errors: { code: string; message: string }[]; warnings: { code: string; message: string }[] };
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.warnings.map((w) => w.code), [], 'no warnings we could fix');
});

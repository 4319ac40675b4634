/**
 * Sizes are deterministic, so they are guarded: the JavaScript of the Chrome store build, summed
 * over its files' gzip sizes. Raise a budget only after finding the weight in dist/metafile.json,
 * and say why in the commit.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { measureBundles } from '../../bench/bundleSize.ts';

const root = new URL('../..', import.meta.url).pathname;

/**
 * Whole extension, all JS files of dist/chrome, gzip -9 each, summed. The issue asked for 20 KB; the
 * metafile puts the libraries at 10.3 KB of it as shipped in chunks (preact 13.5 KB, the polyfill
 * 9.7 KB, idb-keyval 1.3 KB minified) and our own worker, client, cache, jobs, context menu and
 * three pages at ~21 KB. See README "Performance" for the breakdown; raise only with a reason.
 */
// 33 KB from 32 KB: sealing the token at rest (src/worker/tokenSeal.ts, ~0.5 KB gzip), so that the
// storage change events every page hears carry no token.
// 34 KB from 33 KB: the security fixes of issue 13 (33,303 B → 34,540 B): the Glean client's redirect
// policy, the GIF frame check, the bounded and swept upload store, the sniffed "Save image" name, the
// right-click fetch's redirect refusal, the build flavour and the connection test's 400 report.
const TOTAL_GZIP_BUDGET = 34 * 1024;

test(`the extension's JavaScript stays within ${TOTAL_GZIP_BUDGET / 1024} KB gzip`, async () => {
  const { files, total } = await measureBundles(join(root, 'dist', 'chrome'));
  const table = files.map((f) => `${f.path}: ${f.gzip} B`).join(', ');
  assert.ok(total.gzip <= TOTAL_GZIP_BUDGET, `${total.gzip} B gzip > ${TOTAL_GZIP_BUDGET} B (${table})`);
});

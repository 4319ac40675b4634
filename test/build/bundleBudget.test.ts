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
 * three pages at ~21 KB. docs/PERFORMANCE.md has the figures; raise only with a reason.
 */
// 33 KB from 32 KB: sealing the token at rest (src/worker/tokenSeal.ts, ~0.5 KB gzip), so that the
// storage change events every page hears carry no token.
// 34 KB from 33 KB: the issue-13 security fixes (redirect handling, GIF frames, the upload store's
// bound and sweep), 1.2 KB gzip.
// 50 KB from 34 KB: signing in (oauth4webapi, 6.9 KB gzip of what the worker imports, and
// src/worker/signIn/ ~3 KB), and capture and batch (src/popup/ screenshots, selection, copy forms;
// src/worker/capture/). Issue 14 is to bring the whole back to 33.3 KB by shrinking our own code.
// 52 KB from 50 KB: the router's payload checks (src/worker/payloadChecks.ts) and the cold-start policy
// reading kept across worker starts (src/worker/policySource.ts), ~1.6 KB gzip together.
// 53 KB from 52 KB: the popup's preview worker (src/popup/previewMaker.ts, drawPreview.ts: 0.5 KB gzip, a
// file of its own since it runs on its own thread), and the gzip lost to splitting: the header reader
// it shares with the background worker (src/worker/cache/imageSize.ts, withBytes.ts) moved from worker.js
// to a chunk of its own (0.8 KB), and esbuild's module helpers left the polyfill's chunk for one of theirs (0.4 KB).
// 54 KB from 53 KB: issue 14's short path (52,996 B measured, from 52,107 B): the worker's image answers
// and their page side (src/worker/serveImage.ts, src/shared/imageAddress.ts, and imageFetch.ts, now in ask.ts), its static
// routes and its memory of settings (src/worker/remembered.ts), less the page-side cache reader; the
// rest of issue 14 (one of each, dead code) is to take it down to 33.3 KB.
// 51.5 KB from 54 KB: issue 14's "one of each" and dead code (52,418 B measured, from 54,465 B): one
// reader of bounded bodies, one failure logger, one reply builder, the request pool as closures, no
// redirect-following code the browser never ran, the polyfill wrapped once (src/shared/browser.ts),
// three small chunks folded into their neighbours, and code only tests kept alive.
// 50.5 KB from 51.5 KB (51,605 B measured, from 52,614 B): the polyfill read as the ES module its UMD
// header allows (scripts/build.ts: no CommonJS interop helpers, no chunk of their own), one isRecord,
// the upload queue given an explicit store, and the pages' cuts: one busy-state hook (src/ui/useBusy.ts),
// one session-key hook (src/popup/useSessionKey.ts), dead props and state.
// 48.5 KB from 50.5 KB (49,479 B measured, from 51,611 B): the store build through terser after esbuild
// (scripts/build.ts compressFurther); 1,460 B of it from the worker.
// 48.6 KB from 48.5 KB (49,765 B measured, from 49,619 B): identical lookups made at once share one GET
// again, though a page's fetches reach the worker spread out (Glean's answer answers such loads for 2 s:
// src/glean/sharedRequests.ts, src/worker/lookUp.ts). terser's further passes and options took back 24 B
// at most, none enough.
const TOTAL_GZIP_BUDGET = 48.6 * 1024;

test(`the extension's JavaScript stays within ${TOTAL_GZIP_BUDGET / 1024} KB gzip`, async () => {
  const { files, total } = await measureBundles(join(root, 'dist', 'chrome'));
  const table = files.map((f) => `${f.path}: ${f.gzip} B`).join(', ');
  assert.ok(total.gzip <= TOTAL_GZIP_BUDGET, `${total.gzip} B gzip > ${TOTAL_GZIP_BUDGET} B (${table})`);
});

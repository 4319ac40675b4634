/**
 * What ships: the store builds (dist/chrome, dist/firefox, the folders `npm run package` zips) carry
 * no source maps, nothing that looks like a secret, no string-to-code (`eval`, `new Function`) and no
 * code from anywhere but the package itself. Reads the output of `npm run build`, which `npm test`
 * runs first. Each detector is also tried on a planted sample, so a pattern that can never match
 * cannot pass for a clean build.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { describe, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const STORE_BUILDS = ['chrome', 'firefox'] as const;

/** What a store build may hold: code, pages, styles, locale and manifest JSON, and PNG icons. */
const SHIPPED_EXTENSIONS = new Set(['.js', '.html', '.css', '.json', '.png']);
const TEXT_EXTENSIONS = new Set(['.js', '.html', '.css', '.json']);

interface ShippedFile {
  /** Relative to the build folder, with forward slashes. */
  path: string;
  text: string;
}

function filesOf(build: string): string[] {
  const dir = join(root, 'dist', build);
  assert.ok(existsSync(dir), `dist/${build} is missing: run npm run build first`);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

function textFilesOf(build: string): ShippedFile[] {
  return filesOf(build)
    .filter((path) => TEXT_EXTENSIONS.has(extname(path)))
    .map((path) => ({ path, text: readFileSync(join(root, 'dist', build, path), 'utf8') }));
}

interface Detector {
  name: string;
  pattern: RegExp;
  /** A string the pattern must find (built at run time, so this file holds no real-looking secret). */
  sample: string;
}

const repeat = (text: string, times: number): string => text.repeat(times);

const SECRETS: Detector[] = [
  { name: 'a sandbox token', pattern: /sandbox-[0-9a-f]{16}/, sample: `sandbox-${repeat('0a', 8)}` },
  { name: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, sample: ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ') },
  { name: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, sample: `AKIA${repeat('Q', 16)}` },
  {
    name: 'an AWS secret access key',
    pattern: /aws.{0,20}secret.{0,20}['"][A-Za-z0-9/+=]{40}['"]/i,
    sample: `aws_secret_access_key = "${repeat('a1B/', 10)}"`,
  },
  { name: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/, sample: `ghp_${repeat('aB3', 12)}` },
  { name: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/, sample: `xoxb-${repeat('12345-', 3)}` },
  { name: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, sample: `AIza${repeat('x', 35)}` },
  { name: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, sample: `eyJ${repeat('h', 12)}.eyJ${repeat('p', 12)}.${repeat('s', 12)}` },
  { name: 'a literal bearer token', pattern: /Bearer [A-Za-z0-9._~+/-]{16,}/, sample: `Bearer ${repeat('t0k', 6)}` },
  {
    name: 'a key, token, secret or password assigned a literal',
    pattern: /\b(?:api[_-]?key|api[_-]?token|secret|password|passwd|token)["']?\s*[:=]\s*["'][A-Za-z0-9_\-./+=]{16,}["']/i,
    sample: `apiKey: "${repeat('k3y', 6)}"`,
  },
];

/** Turning strings into code: CSP `script-src 'self'` would refuse it anyway, so any is a bug. */
const STRING_TO_CODE: Detector[] = [
  { name: 'eval(', pattern: /(?<![\w$.])eval\s*\(/, sample: 'x = eval("1")' },
  { name: 'new Function(', pattern: /\bnew\s+Function\s*\(/, sample: 'new Function("return 1")' },
  { name: 'Function("…") without new', pattern: /(?<![\w$.])Function\s*\(\s*["'`]/, sample: 'Function("return this")()' },
  { name: 'setTimeout or setInterval with a string', pattern: /\bset(?:Timeout|Interval)\s*\(\s*["'`]/, sample: 'setTimeout("go()", 1)' },
];

/** Code from elsewhere: MV3 forbids it, and the stores reject it. */
const REMOTE_CODE: Detector[] = [
  { name: 'a remote <script src>', pattern: /<script[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\//i, sample: '<script src="https://cdn.example/x.js">' },
  { name: 'a remote stylesheet or preload', pattern: /<link[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\//i, sample: '<link rel="modulepreload" href="//cdn.example/x.js">' },
  { name: 'a dynamic import of a URL', pattern: /\bimport\s*\(\s*["'`](?:https?:)?\/\//, sample: 'import("https://cdn.example/x.js")' },
  { name: 'a static import of a URL', pattern: /\bfrom\s*["'](?:https?:)?\/\//, sample: 'import x from"https://cdn.example/x.js"' },
  { name: 'importScripts(', pattern: /\bimportScripts\s*\(/, sample: 'importScripts("x.js")' },
  { name: 'scripting.executeScript with files', pattern: /executeScript\s*\(\s*\{[^}]*\bfiles\s*:/, sample: 'executeScript({target,files:["x.js"]})' },
];

/**
 * Matches from libraries we know and accept, by file and detector; each needs a reason. Empty today:
 * preact, webextension-polyfill and idb-keyval use neither eval nor Function, and the scan proves it.
 */
const ACCEPTED: Array<{ detector: string; file: RegExp; why: string }> = [];

function findings(files: readonly ShippedFile[], detectors: readonly Detector[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    for (const { name, pattern } of detectors) {
      const match = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
      for (const hit of text.matchAll(match)) {
        if (ACCEPTED.some((a) => a.detector === name && a.file.test(path))) continue;
        const at = hit.index;
        found.push(`${path}: ${name}: …${text.slice(Math.max(0, at - 30), at + 50)}…`);
      }
    }
  }
  return found;
}

const SOURCE_MAP: Detector = { name: 'a sourceMappingURL', pattern: /[#@]\s*sourceMappingURL=/, sample: '//# sourceMappingURL=worker.js.map' };

describe('the detectors themselves', () => {
  for (const detector of [SOURCE_MAP, ...SECRETS, ...STRING_TO_CODE, ...REMOTE_CODE]) {
    test(`finds ${detector.name} in a planted sample`, () => {
      assert.deepEqual(findings([{ path: 'planted.js', text: `let a = 1;\n${detector.sample};\n` }], [detector]).length, 1);
    });
  }
  test('finds the source maps of the dev build, which carries them on purpose', () => {
    assert.ok(filesOf('chrome-dev').some((path) => path.endsWith('.map')));
    assert.ok(findings(textFilesOf('chrome-dev'), [SOURCE_MAP]).length > 0);
  });
  test('finds nothing in ordinary minified code', () => {
    const ordinary = 'const e=t=>t.evaluate?.(1);u.retrieval(2);n.setTimeout(()=>r(),5);import{a as b}from"./chunks/c.js";';
    assert.deepEqual(findings([{ path: 'ordinary.js', text: ordinary }], [...SECRETS, ...STRING_TO_CODE, ...REMOTE_CODE]), []);
  });
});

for (const build of STORE_BUILDS) {
  describe(`dist/${build}`, () => {
    test('holds only code, pages, styles, JSON and PNG icons: no source maps, sources or stray files', () => {
      const unexpected = filesOf(build).filter((path) => !SHIPPED_EXTENSIONS.has(extname(path)) || path.split('/').some((part) => part.startsWith('.')));
      assert.deepEqual(unexpected, []);
    });

    test('points at no source map', () => {
      assert.deepEqual(findings(textFilesOf(build), [SOURCE_MAP]), []);
    });

    test('holds nothing that looks like a secret', () => {
      assert.deepEqual(findings(textFilesOf(build), SECRETS), []);
    });

    test('turns no string into code', () => {
      assert.deepEqual(findings(textFilesOf(build), STRING_TO_CODE), []);
    });

    test('loads no code from elsewhere', () => {
      assert.deepEqual(findings(textFilesOf(build), REMOTE_CODE), []);
    });

    test('every page loads only its own files', () => {
      for (const { path, text } of textFilesOf(build).filter((file) => file.path.endsWith('.html'))) {
        const references = [...text.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map(([, reference = '']) => reference);
        assert.ok(references.length > 0, `${path} references its script`);
        for (const reference of references) {
          assert.ok(!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(reference), `${path} loads ${reference}`);
          assert.ok(existsSync(join(root, 'dist', build, reference)), `${path} loads ${reference}, which is shipped`);
        }
      }
    });
  });
}

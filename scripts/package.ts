/**
 * `npm run package`: zips the store builds of `npm run build` into versioned, reproducible uploads:
 *   dist/chrome/  -> artifacts/glean-images-chrome-<version>.zip
 *   dist/firefox/ -> artifacts/glean-images-firefox-<version>.zip
 * Reproducible (see zipDirectory.ts) so a reviewer can rebuild and compare checksums.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipDirectory } from './zipDirectory.ts';

const root = new URL('..', import.meta.url).pathname;
// Only the store builds: the dev folders carry source maps and dev-only settings.
const STORE_TARGETS = ['chrome', 'firefox'] as const;

function readVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined;
  if (typeof version !== 'string' || version === '') throw new Error('package.json has no "version"');
  return version;
}

function main(): void {
  const version = readVersion();
  // Check every input before writing anything, so a half-built dist/ never leaves one stale zip.
  const missing = STORE_TARGETS.map((t) => join(root, 'dist', t)).filter(
    (dir) => !existsSync(dir) || !statSync(dir).isDirectory(),
  );
  if (missing.length > 0) {
    console.error(`package: missing ${missing.map((d) => relative(root, d)).join(', ')}: run npm run build first`);
    process.exit(1);
  }
  // Zip everything in memory first: an unzippable folder then fails the run before any file is written.
  const zips = STORE_TARGETS.map((target) => ({ target, zip: zipDirectory(join(root, 'dist', target)) }));
  const artifacts = join(root, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  for (const { target, zip } of zips) {
    const out = join(artifacts, `glean-images-${target}-${version}.zip`);
    writeFileSync(out, zip);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    console.log(`${relative(root, out)}  ${zip.length} bytes  sha256 ${sha256}`);
  }
}

try {
  main();
} catch (error) {
  // Our own errors already say what is wrong; a stack trace would only bury the message.
  console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

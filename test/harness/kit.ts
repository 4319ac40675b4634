/**
 * Makes a self-hosting kit the way an administrator does (`npm run package` with a key and a base
 * URL), with a throwaway key: keys made here live in a temp folder and are never committed.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './chromium.ts';

/** Writes a new 2048-bit RSA key (PKCS#8 PEM) into `dir` and returns its path. */
export async function writeThrowawayKey(dir: string): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const path = join(dir, 'throwaway-kit-key.pem');
  await writeFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return path;
}

export interface PackageRun {
  stdout: string;
  stderr: string;
}

/** Runs scripts/package.ts with `env` added, writing into `outDir`; rejects when it exits non-zero. */
export async function runPackage(env: Record<string, string>, outDir: string): Promise<PackageRun> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/package.ts'], {
    cwd: root,
    env: { ...process.env, GLEAN_IMAGES_CRX_KEY: '', GLEAN_IMAGES_UPDATE_BASE_URL: '', GLEAN_IMAGES_VERSION: '', ...env, GLEAN_IMAGES_ARTIFACTS_DIR: outDir },
  });
  return { stdout, stderr };
}

/** The ID `npm run package` printed for the kit. */
export function printedId(stdout: string): string {
  const id = /^Extension ID: ([a-p]{32})$/m.exec(stdout)?.[1];
  if (!id) throw new Error(`npm run package printed no extension ID:\n${stdout}`);
  return id;
}

export interface BuiltKit {
  /** As printed by `npm run package`. */
  id: string;
  dir: string;
}

/** Packages dist/chrome as `version` of a kit hosted at `baseUrl`, into `outDir`. */
export async function packageKit({ keyPath, baseUrl, version, outDir }: { keyPath: string; baseUrl: string; version: string; outDir: string }): Promise<BuiltKit> {
  const { stdout } = await runPackage({ GLEAN_IMAGES_CRX_KEY: keyPath, GLEAN_IMAGES_UPDATE_BASE_URL: baseUrl, GLEAN_IMAGES_VERSION: version }, outDir);
  return { id: printedId(stdout), dir: outDir };
}

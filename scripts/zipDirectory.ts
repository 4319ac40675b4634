/**
 * Reproducible zip of a folder: the same files with the same contents give a byte-identical zip,
 * whatever the files' timestamps, permissions or the order the file system lists them in. That lets
 * anyone rebuild a store upload and compare its checksum with the one that was submitted.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type ZipOptions, type Zippable } from 'fflate';

/** Fixed entry metadata: made on Unix, a plain rw-r--r-- file, best deflate, nothing extra. */
function entryOptions(): ZipOptions {
  return {
    level: 9,
    // fflate turns `mtime` into a DOS timestamp with the *local* getters (getFullYear, getHours...).
    // A Date built from local fields, at call time, therefore encodes as 1980-01-01 00:00 in every
    // time zone, whereas a fixed instant would shift with the zone (and before 1980 fflate throws).
    mtime: new Date(1980, 0, 1, 0, 0, 0),
    os: 3,
    // External attributes: Unix mode in the high 16 bits (S_IFREG | 0644), so unzip gives the same
    // permissions on every machine instead of whatever the build machine's umask was.
    attrs: (0o100644 << 16) >>> 0,
  };
}

/** Relative, '/'-separated paths of the regular files under `dir`, in code-unit order. */
export function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, rel));
    else if (entry.isFile()) files.push(rel);
    // A symlink or socket in a build output is a mistake; refuse rather than zip something odd.
    else throw new Error(`zipDirectory: ${join(dir, rel)} is not a regular file or folder`);
  }
  // Plain comparison, not localeCompare: the order must not depend on the machine's ICU locale.
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Zips every file under `dir` (paths relative to it, no folder entries) into a reproducible zip.
 * `replace` gives other contents for some of those files (the kit's manifest), without a copy of the folder.
 */
export function zipDirectory(dir: string, replace: Readonly<Record<string, Uint8Array>> = {}): Uint8Array {
  const files = listFiles(dir);
  if (files.length === 0) throw new Error(`zipDirectory: ${dir} has no files`);
  const unknown = Object.keys(replace).filter((rel) => !files.includes(rel));
  if (unknown.length > 0) throw new Error(`zipDirectory: ${dir} has no ${unknown.join(', ')} to replace`);
  const options = entryOptions();
  const zippable: Zippable = {};
  for (const rel of files) {
    // Flat keys ('icons/icon-16.png'): fflate writes them in insertion order, which is our sort.
    // (JS objects put integer-like keys such as '404' first; that order is still deterministic.)
    zippable[rel] = [replace[rel] ?? new Uint8Array(readFileSync(join(dir, rel))), options];
  }
  return zipSync(zippable);
}

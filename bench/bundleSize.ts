/**
 * The JavaScript a build ships: every .js file (chunks included), as it is on disk and gzipped.
 * Pass a store build (dist/chrome): esbuild minifies it, so the size on disk is the minified size.
 * Exported for a budget test as well as for `npm run bench`; it reads files only, no browser.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFile {
  /** Relative to the build folder, with forward slashes (`chunks/chunk-ABC.js`). */
  path: string;
  /** Bytes as shipped (minified by the store build). */
  minified: number;
  /** Bytes after gzip at its best level: roughly what a download of the package costs. */
  gzip: number;
}

export interface BundleSizes {
  files: BundleFile[];
  total: { minified: number; gzip: number };
}

async function jsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Sizes of every .js file under `dir`, sorted by path, and their sums. */
export async function measureBundles(dir: string): Promise<BundleSizes> {
  const files: BundleFile[] = [];
  for (const file of await jsFiles(dir)) {
    const bytes = await readFile(file);
    files.push({
      path: relative(dir, file).split('\\').join('/'),
      minified: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
    });
  }
  const total = files.reduce((sum, file) => ({ minified: sum.minified + file.minified, gzip: sum.gzip + file.gzip }), {
    minified: 0,
    gzip: 0,
  });
  return { files, total };
}

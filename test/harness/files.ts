/** Image files on disk for pickers and drops, made fresh per test run. */
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplePng } from '../../sandbox/png.ts';

export interface TestFile {
  path: string;
  bytes: Buffer;
  sha256: string;
}

let folder: Promise<string> | undefined;

export async function testFile(name: string, bytes: Buffer): Promise<TestFile> {
  folder ??= mkdtemp(join(tmpdir(), 'glean-images-files-'));
  const path = join(await folder, name);
  await writeFile(path, bytes);
  return { path, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export const pngFile = (name: string, seed = name, size = 96): Promise<TestFile> => testFile(name, samplePng(seed, size, size));

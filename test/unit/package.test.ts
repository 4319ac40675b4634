import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { zipDirectory } from '../../scripts/zipDirectory.ts';

/** A small extension-like folder; the PNG bytes are arbitrary binary, including NULs. */
const FILES: Record<string, string | Uint8Array> = {
  'manifest.json': '{"manifest_version":3,"name":"Glean Images"}\n',
  'popup.html': '<!doctype html><title>Glean Images</title>\n',
  'chunks/chunk-ABC123.js': 'export const x = 1;\n'.repeat(50),
  'icons/icon-16.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 255, 0, 1]),
  '_locales/en/messages.json': '{"name":{"message":"Glean Images — é"}}\n',
};

function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

interface RawEntry {
  name: string;
  madeBy: number;
  time: number;
  date: number;
  extra: number;
  attrs: number;
  localTime: number;
  localDate: number;
  localExtra: number;
}

/** Central directory entries, read straight from the bytes so the fixed metadata can be checked. */
function centralEntries(zip: Uint8Array): RawEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22; // fflate writes no archive comment
  assert.equal(view.getUint32(eocd, true), 0x06054b50, 'end of central directory');
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const entries: RawEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(view.getUint32(at, true), 0x02014b50, 'central directory header');
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    entries.push({
      name: strFromU8(zip.subarray(at + 46, at + 46 + nameLength)),
      madeBy: view.getUint16(at + 4, true),
      time: view.getUint16(at + 12, true),
      date: view.getUint16(at + 14, true),
      extra,
      attrs: view.getUint32(at + 38, true),
      localTime: view.getUint16(local + 10, true),
      localDate: view.getUint16(local + 12, true),
      localExtra: view.getUint16(local + 28, true),
    });
    at += 46 + nameLength + extra + commentLength;
  }
  return entries;
}

describe('zipDirectory', () => {
  let dir = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'glean-images-zip-'));
    for (const [rel, content] of Object.entries(FILES)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives byte-identical zips when only mtimes and permissions change', () => {
    const first = zipDirectory(dir);
    // New timestamps (far apart, so no rounding can hide them) and a different mode on one file.
    const later = new Date('2031-06-15T12:34:56Z');
    for (const rel of Object.keys(FILES)) utimesSync(join(dir, rel), later, later);
    chmodSync(join(dir, 'popup.html'), 0o600);
    const second = zipDirectory(dir);
    assert.deepEqual(Buffer.from(second), Buffer.from(first));
  });

  it('does not depend on the time zone', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      const west = zipDirectory(dir);
      process.env.TZ = 'Asia/Tokyo';
      const east = zipDirectory(dir);
      assert.deepEqual(Buffer.from(east), Buffer.from(west));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("holds exactly the folder's files, sorted, with their contents", () => {
    const zip = zipDirectory(dir);
    const unzipped = unzipSync(zip);
    assert.deepEqual(Object.keys(unzipped).sort(), Object.keys(FILES).sort());
    for (const [rel, content] of Object.entries(FILES)) {
      assert.deepEqual(unzipped[rel], bytesOf(content), rel);
    }
    const names = centralEntries(zip).map((e) => e.name);
    assert.deepEqual(names, [...names].sort());
  });

  it('writes fixed metadata: 1980-01-01 00:00, Unix 0644, no extra fields', () => {
    for (const entry of centralEntries(zipDirectory(dir))) {
      assert.equal(entry.madeBy >> 8, 3, `${entry.name}: made on Unix`);
      // DOS date: (year - 1980) << 9 | month << 5 | day; DOS time 00:00:00 is 0.
      assert.equal(entry.date, (0 << 9) | (1 << 5) | 1, `${entry.name}: date`);
      assert.equal(entry.time, 0, `${entry.name}: time`);
      assert.equal(entry.localDate, entry.date, `${entry.name}: local header date`);
      assert.equal(entry.localTime, entry.time, `${entry.name}: local header time`);
      assert.equal(entry.attrs >>> 16, 0o100644, `${entry.name}: mode`);
      assert.equal(entry.extra, 0, `${entry.name}: central extra field`);
      assert.equal(entry.localExtra, 0, `${entry.name}: local extra field`);
    }
  });

  it('changes when a file changes', () => {
    const original = zipDirectory(dir);
    writeFileSync(join(dir, 'popup.html'), '<!doctype html><title>Changed</title>\n');
    try {
      assert.notDeepEqual(Buffer.from(zipDirectory(dir)), Buffer.from(original));
    } finally {
      writeFileSync(join(dir, 'popup.html'), FILES['popup.html'] ?? '');
    }
  });

  it('puts replaced contents in place of a file, and refuses to replace a file the folder lacks', () => {
    const manifest = new TextEncoder().encode('{"manifest_version":3,"name":"Glean Images","version":"1.0.1"}\n');
    const unzipped = unzipSync(zipDirectory(dir, { 'manifest.json': manifest }));
    assert.deepEqual(unzipped['manifest.json'], manifest);
    assert.deepEqual(unzipped['popup.html'], bytesOf(FILES['popup.html'] ?? ''), 'the others are read from the folder');
    assert.throws(() => zipDirectory(dir, { 'missing.json': manifest }), /has no missing\.json to replace/);
  });

  it('refuses an empty folder', () => {
    const empty = mkdtempSync(join(tmpdir(), 'glean-images-zip-empty-'));
    try {
      assert.throws(() => zipDirectory(empty), /has no files/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_UPLOAD_BYTES, SNIFF_BYTES, checkImageFile, savedImageType, sniffImageType } from '../../../src/shared/imageSniff.ts';

/** Bytes from numbers and ASCII strings, in order. */
function bytes(...parts: Array<number[] | string>): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'string') for (const ch of part) out.push(ch.charCodeAt(0));
    else out.push(...part);
  }
  return new Uint8Array(out);
}

const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);
const padding = (n: number): number[] => new Array<number>(n).fill(0);

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG = bytes(PNG_SIGNATURE, [0, 0, 0, 13], 'IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>';

describe('sniffImageType', () => {
  const images: Array<[string, Uint8Array, string]> = [
    ['PNG', PNG, 'image/png'],
    ['JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0]), 'image/jpeg'],
    ['JPEG (Exif)', bytes([0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34], 'Exif', [0, 0]), 'image/jpeg'],
    ['GIF87a', bytes('GIF87a', [1, 0, 1, 0, 0x80, 0, 0]), 'image/gif'],
    ['GIF89a', bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0]), 'image/gif'],
    ['WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ', padding(8)), 'image/webp'],
    ['BMP', bytes('BM', [0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0], padding(16)), 'image/bmp'],
    ['ICO', bytes([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0], padding(8)), 'image/x-icon'],
    ['AVIF', bytes([0, 0, 0, 0x1c], 'ftypavif', [0, 0, 0, 0], 'avifmif1miaf'), 'image/avif'],
    ['AVIF image sequence', bytes([0, 0, 0, 0x1c], 'ftypavis', [0, 0, 0, 0], 'avismsf1miaf'), 'image/avif'],
    ['SVG, bare', utf8(SVG), 'image/svg+xml'],
    ['SVG, root with no attributes', utf8('<svg>\n</svg>'), 'image/svg+xml'],
    ['SVG, upper case', utf8('<SVG WIDTH="1"></SVG>'), 'image/svg+xml'],
    ['SVG, after whitespace', utf8(`\n\t  ${SVG}`), 'image/svg+xml'],
    ['SVG, with an XML prolog', utf8(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n${SVG}`), 'image/svg+xml'],
    [
      'SVG, with prolog, comment and doctype (as Illustrator writes it)',
      utf8(
        '<?xml version="1.0" encoding="utf-8"?>\n' +
          '<!-- Generator: Adobe Illustrator 24.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0) -->\n' +
          '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' +
          SVG,
      ),
      'image/svg+xml',
    ],
    ['SVG, after a comment containing markup', utf8(`<!-- <html> is not the root, <svg> is -->\n${SVG}`), 'image/svg+xml'],
    ['SVG, after a UTF-8 BOM', bytes([0xef, 0xbb, 0xbf], SVG), 'image/svg+xml'],
    ['SVG, after a BOM and a prolog', bytes([0xef, 0xbb, 0xbf], `<?xml version="1.0"?>${SVG}`), 'image/svg+xml'],
    // Glean decides what to do with scripts; the bytes are still an SVG image.
    [
      'SVG with a <script>',
      utf8('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'),
      'image/svg+xml',
    ],
  ];
  for (const [name, input, type] of images) {
    it(`${name} → ${type}`, () => assert.equal(sniffImageType(input), type));
  }

  const notImages: Array<[string, Uint8Array]> = [
    ['nothing at all', new Uint8Array(0)],
    ['an HTML page', utf8('<!DOCTYPE html>\n<html lang="en"><head><title>Sign in</title></head><body></body></html>')],
    ['an HTML page with an inline <svg> further in', utf8(`<html><body>${SVG}</body></html>`)],
    ['an HTML error page starting with whitespace', utf8('\r\n\r\n   <html><head><title>502 Bad Gateway</title></head></html>')],
    ['plain text', utf8('Hello, this is not an image.\n')],
    ['text that mentions svg', utf8('svg files start with <svg but this one does not')],
    ['an element that only starts like svg', utf8('<svg-icon name="x"></svg-icon>')],
    ['an XML document with another root', utf8('<?xml version="1.0"?>\n<rss version="2.0"></rss>')],
    ['JSON', utf8('{"error":"unauthorized"}')],
    ['PDF', utf8('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj')],
    ['ZIP', bytes('PK', [3, 4, 20, 0, 0, 0, 8, 0], padding(20))],
    ['a truncated PNG signature', bytes(PNG_SIGNATURE.slice(0, 4))],
    ['a PNG signature with one byte wrong', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00], padding(8))],
    ['two bytes of JPEG', bytes([0xff, 0xd8])],
    ['GIF90a', bytes('GIF90a', padding(8))],
    ['a RIFF that is a WAVE', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ', padding(8))],
    ['HEIC (not taken by Glean)', bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic')],
    ['an ICO header that lists no images', bytes([0, 0, 1, 0, 0, 0], padding(16))],
    ['“BM” followed by too little for a bitmap header', utf8('BM is short')],
  ];
  for (const [name, input] of notImages) {
    it(`${name} → null`, () => assert.equal(sniffImageType(input), null));
  }
});

/** A Blob whose bytes cannot be read any more (the file was moved or deleted after being chosen). */
class UnreadableBlob extends Blob {
  override slice(): Blob {
    return this;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.reject(new DOMException('The file could not be read.', 'NotReadableError'));
  }
}

/** A Blob that throws even when sliced. */
class UnsliceableBlob extends Blob {
  override slice(): Blob {
    throw new DOMException('The file could not be read.', 'NotReadableError');
  }
}

const MB = 1024 * 1024;

describe('checkImageFile', () => {
  it('refuses an empty file', async () => {
    const check = await checkImageFile(new Blob([]));
    assert.equal(check.ok, false);
    assert.match(!check.ok ? check.message : '', /empty/);
  });

  it('refuses a file over the default 20 MB, saying the limit', async () => {
    assert.equal(DEFAULT_MAX_UPLOAD_BYTES, 20 * MB);
    const big = new Blob([PNG, new Uint8Array(DEFAULT_MAX_UPLOAD_BYTES + 3 * MB)]);
    const check = await checkImageFile(big);
    assert.equal(check.ok, false);
    assert.match(!check.ok ? check.message : '', /the limit is 20 MB/);
    assert.match(!check.ok ? check.message : '', /23\.1 MB/, 'the size is rounded up');
  });

  it('never says a file just over the limit is the limit’s size', async () => {
    const check = await checkImageFile(new Blob([PNG, new Uint8Array(DEFAULT_MAX_UPLOAD_BYTES)]));
    assert.match(!check.ok ? check.message : '', /That file is 20\.1 MB; the limit is 20 MB/);
  });

  it('refuses a file over a given limit, saying that limit', async () => {
    const check = await checkImageFile(new Blob([PNG, new Uint8Array(2 * MB)]), 2 * MB);
    assert.equal(check.ok, false);
    assert.match(!check.ok ? check.message : '', /the limit is 2 MB/);
  });

  it('takes a file of exactly the limit', async () => {
    const exact = new Blob([PNG, new Uint8Array(MB - PNG.length)]);
    assert.equal(exact.size, MB);
    assert.deepEqual(await checkImageFile(exact, MB), { ok: true, contentType: 'image/png' });
  });

  it('says so when the file cannot be read', async () => {
    for (const blob of [new UnreadableBlob([PNG]), new UnsliceableBlob([PNG])]) {
      const check = await checkImageFile(blob);
      assert.equal(check.ok, false, blob.constructor.name);
      assert.match(!check.ok ? check.message : '', /could not be read/, blob.constructor.name);
    }
  });

  it('refuses what is not an image, whatever type the browser guessed', async () => {
    const page = new Blob([utf8('<!doctype html><html><body>Sign in</body></html>')], { type: 'image/png' });
    const check = await checkImageFile(page);
    assert.equal(check.ok, false);
    assert.match(!check.ok ? check.message : '', /not an image/);
    assert.match(!check.ok ? check.message : '', /PNG, JPEG, GIF, WebP, BMP, ICO, AVIF or SVG/);
  });

  it('says what the bytes are, not what the name or type says', async () => {
    const misnamed = new Blob([PNG], { type: 'text/plain' });
    assert.deepEqual(await checkImageFile(misnamed), { ok: true, contentType: 'image/png' });
    const svg = new Blob([utf8(SVG)], { type: '' });
    assert.deepEqual(await checkImageFile(svg), { ok: true, contentType: 'image/svg+xml' });
  });

  it('looks only at the first bytes', async () => {
    assert.equal(SNIFF_BYTES, 512);
    const sliced: Array<[number | undefined, number | undefined]> = [];
    class Recording extends Blob {
      override slice(start?: number, end?: number, contentType?: string): Blob {
        sliced.push([start, end]);
        return super.slice(start, end, contentType);
      }
    }
    const check = await checkImageFile(new Recording([PNG, new Uint8Array(4 * MB)]));
    assert.deepEqual(check, { ok: true, contentType: 'image/png' });
    assert.deepEqual(sliced, [[0, SNIFF_BYTES]]);
  });
});

describe('savedImageType: the name "Save image" gives a file', () => {
  it('comes from the bytes, never from the type the server claimed (image/hta would save an HTML application)', async () => {
    // What the popup does: the first bytes of the looked-up Blob, whose type is the server's.
    const answer = new Blob([PNG], { type: 'image/hta' });
    assert.deepEqual(savedImageType(new Uint8Array(await answer.slice(0, SNIFF_BYTES).arrayBuffer())), { contentType: 'image/png', extension: 'png' });
  });

  it('is one of the allowlisted extensions for every format the sniffer knows', () => {
    const cases: Array<[Uint8Array, string]> = [
      [PNG, 'png'],
      [bytes([0xff, 0xd8, 0xff, 0xe0]), 'jpg'],
      [bytes('GIF89a', [1, 0, 1, 0]), 'gif'],
      [bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'webp'],
      [bytes([0, 0, 0, 0x1c], 'ftypavif'), 'avif'],
      [bytes([0, 0, 1, 0, 1, 0, 16, 16]), 'ico'],
      [bytes('BM', padding(30)), 'bmp'],
      [utf8(SVG), 'svg'],
    ];
    for (const [image, extension] of cases) assert.equal(savedImageType(image)?.extension, extension, extension);
  });

  it('is none for bytes that are no known image, whatever they are called', () => {
    assert.equal(savedImageType(utf8('<html><script>alert(1)</script></html>')), null);
    assert.equal(savedImageType(bytes('MZ', padding(60))), null);
  });
});

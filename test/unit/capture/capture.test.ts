/** The pure parts of issue 15: the crop's arithmetic, a batch's count, Markdown for an image, and which pasted text is an image link. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { markdownImage } from '../../../src/popup/copyText.ts';
import { fitRect, isWhole, rectBetween, wholeImage } from '../../../src/popup/crop.ts';
import { imageLink } from '../../../src/popup/imageLink.ts';
import { countBatch } from '../../../src/popup/selection.ts';

const size = { width: 800, height: 600 };

describe('crop rectangle', () => {
  test('a drag in any direction gives the same rectangle, in whole pixels', () => {
    const expected = { x: 100, y: 50, width: 200, height: 150 };
    assert.deepEqual(rectBetween({ x: 100, y: 50 }, { x: 300, y: 200 }, size), expected);
    assert.deepEqual(rectBetween({ x: 300, y: 200 }, { x: 100, y: 50 }, size), expected);
    assert.deepEqual(rectBetween({ x: 99.6, y: 50.4 }, { x: 299.6, y: 200.4 }, size), expected);
  });
  test('stays inside the image and is at least one pixel', () => {
    assert.deepEqual(rectBetween({ x: -20, y: -20 }, { x: 900, y: 700 }, size), { x: 0, y: 0, width: 800, height: 600 });
    assert.deepEqual(rectBetween({ x: 10, y: 10 }, { x: 10, y: 10 }, size), { x: 10, y: 10, width: 1, height: 1 });
    assert.deepEqual(fitRect({ x: 790, y: 0, width: 200, height: 10 }, size), { x: 790, y: 0, width: 10, height: 10 });
    assert.deepEqual(fitRect({ x: 900, y: 700, width: 5, height: 5 }, size), { x: 799, y: 599, width: 1, height: 1 });
  });
  test('knows the whole image', () => {
    assert.ok(isWhole(wholeImage(size), size));
    assert.ok(!isWhole({ x: 0, y: 0, width: 799, height: 600 }, size));
  });
});

test('a batch counts its own jobs only', () => {
  const jobs = [
    { id: 'a', state: 'uploaded' },
    { id: 'b', state: 'uploading' },
    { id: 'c', state: 'failed' },
    { id: 'other', state: 'uploaded' },
  ];
  assert.deepEqual(countBatch(jobs, ['a', 'b', 'c', 'gone']), { total: 4, uploaded: 1, failed: 1 });
});

test('Markdown keeps a name with brackets and a URL with parentheses intact', () => {
  assert.equal(markdownImage('logo.png', 'https://g.example/i?key=1'), '![logo.png](https://g.example/i?key=1)');
  assert.equal(markdownImage('a [b]\nc', 'https://g.example/i (1)'), '![a \\[b\\] c](https://g.example/i%20%281%29)');
});

test('pasted text is offered as an image link only when it is one address', () => {
  assert.equal(imageLink('  https://example.com/a.png \n'), 'https://example.com/a.png');
  assert.equal(imageLink('data:image/png;base64,AAAA'), 'data:image/png;base64,AAAA');
  for (const text of ['hello', 'see https://example.com/a.png', 'ftp://example.com/a.png', 'https://a.example/x https://b.example/y', 'data:text/html,hi', 'javascript:alert(1)']) {
    assert.equal(imageLink(text), null, text);
  }
});

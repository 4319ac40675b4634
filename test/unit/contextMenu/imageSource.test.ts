/** Which way a right-clicked image is read, by its address, and the name it is listed under. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { imageFileName, imageSource } from '../../../src/worker/contextMenu/imageSource.ts';

describe('imageSource', () => {
  test('http and https images are fetched by the worker', () => {
    for (const address of ['https://example.com/a.png', 'http://intranet.local:8080/img?id=3']) {
      const source = imageSource(address);
      assert.equal(source.way, 'web');
      assert.equal(source.way === 'web' && source.url.href, new URL(address).href);
    }
  });

  test('data: images are decoded; blob: images are read in the page', () => {
    assert.deepEqual(imageSource('data:image/png;base64,iVBORw0KGgo='), { way: 'data', url: 'data:image/png;base64,iVBORw0KGgo=' });
    assert.equal(imageSource('blob:https://example.com/0b6e3c1e-1111-2222-3333-444455556666').way, 'page');
  });

  test('file:, browser pages and other schemes are refused, saying why', () => {
    const file = imageSource('file:///home/me/photo.png');
    assert.equal(file.way, 'refused');
    assert.match(file.way === 'refused' ? file.reason : '', /file on your computer/);
    for (const address of ['chrome://favicon/https://example.com', 'moz-extension://abc/icon.png', 'ftp://example.com/a.png']) {
      const source = imageSource(address);
      assert.equal(source.way, 'refused', address);
      assert.match(source.way === 'refused' ? source.reason : '', /cannot read images from “[a-z-]+:” addresses/);
    }
  });

  test('a missing or malformed address is refused', () => {
    assert.equal(imageSource(undefined).way, 'refused');
    assert.equal(imageSource('not a url').way, 'refused');
  });
});

describe('imageFileName', () => {
  const page = 'https://wiki.example.com/pages/42';

  test('a web image keeps its own name, decoded, without the query', () => {
    assert.equal(imageFileName(imageSource('https://cdn.example.com/team/Our%20logo.png?v=3'), page), 'Our logo.png');
  });

  test('an image without a name in its address is named after the page’s site', () => {
    assert.equal(imageFileName(imageSource('https://cdn.example.com/'), page), 'Image from wiki.example.com');
    assert.equal(imageFileName(imageSource('data:image/png;base64,AAAA'), page), 'Image from wiki.example.com');
    assert.equal(imageFileName(imageSource('blob:https://wiki.example.com/1234'), page), 'Image from wiki.example.com');
    assert.equal(imageFileName(imageSource('data:image/png;base64,AAAA'), undefined), 'Image from a web page');
  });

  test('a malformed escape is kept as written; a very long name is cut', () => {
    assert.equal(imageFileName(imageSource('https://example.com/100%25%zz.png'), page), '100%25%zz.png');
    assert.equal(imageFileName(imageSource(`https://example.com/${'a'.repeat(300)}.png`), page).length, 120);
  });
});

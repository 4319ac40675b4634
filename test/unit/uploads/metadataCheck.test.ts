import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IMAGE_TYPES, type ImageMetadata } from '../../../src/shared/imageMetadata.ts';
import { MAX_FIELD_LENGTH, checkMetadata, type MetadataCheck } from '../../../src/shared/metadataCheck.ts';

const required = { typeRequired: true };
const optional = { typeRequired: false };

function message(check: MetadataCheck): string {
  assert.equal(check.ok, false, 'expected the metadata to be refused');
  return check.ok ? '' : check.message;
}

function cleaned(check: MetadataCheck): ImageMetadata {
  assert.equal(check.ok, true, check.ok ? '' : `refused: ${check.message}`);
  return check.ok ? check.metadata : {};
}

describe('checkMetadata: type', () => {
  it('asks for a type when one is required and none was chosen', () => {
    assert.match(message(checkMetadata({}, required)), /Choose a Type/);
    assert.match(message(checkMetadata({ type: '', id: 'x' }, required)), /Choose a Type/);
  });

  it('takes no type when none is required', () => {
    assert.deepEqual(cleaned(checkMetadata({ id: 'x' }, optional)), { type: '', id: 'x', ds: '', cid: '' });
  });

  it('takes every known type', () => {
    for (const type of IMAGE_TYPES) {
      assert.equal(cleaned(checkMetadata({ type }, required)).type, type);
    }
  });

  it('refuses an unknown type, required or not, naming it', () => {
    for (const options of [required, optional]) {
      const unknown = { type: 'PHOTO' } as unknown as ImageMetadata;
      assert.match(message(checkMetadata(unknown, options)), /“PHOTO” is not an image type/);
    }
    const lowerCase = { type: 'ugc' } as unknown as ImageMetadata;
    assert.match(message(checkMetadata(lowerCase, optional)), /“ugc”/);
  });
});

describe('checkMetadata: id, ds, cid', () => {
  it('trims each field and fills in the missing ones', () => {
    const check = checkMetadata({ type: 'LOGO', id: '  logo-1\n', ds: '\tconfluence ', cid: undefined }, required);
    assert.deepEqual(cleaned(check), { type: 'LOGO', id: 'logo-1', ds: 'confluence', cid: '' });
  });

  it('takes exactly 256 characters, after trimming', () => {
    assert.equal(MAX_FIELD_LENGTH, 256);
    const longest = 'a'.repeat(MAX_FIELD_LENGTH);
    assert.equal(cleaned(checkMetadata({ type: 'UGC', id: `  ${longest}  ` }, required)).id, longest);
  });

  const names = [
    ['id', 'ID'],
    ['ds', 'Datasource'],
    ['cid', 'Content ID'],
  ] as const;

  for (const [field, name] of names) {
    it(`refuses a ${field} over 256 characters, saying how long it is`, () => {
      const check = checkMetadata({ type: 'UGC', [field]: 'x'.repeat(MAX_FIELD_LENGTH + 1) }, required);
      assert.equal(message(check), `${name} is 257 characters long; the limit is 256.`);
    });

    it(`refuses control characters inside a ${field}`, () => {
      for (const bad of ['a\u0000b', 'tab\there', 'line\nbreak', 'del\u007f', 'c1\u0085x', 'esc\u001b[31m']) {
        const check = checkMetadata({ type: 'UGC', [field]: bad }, required);
        assert.equal(message(check), `${name} contains invisible control characters. Type it again.`, JSON.stringify(bad));
      }
    });
  }

  it('reports the first field at fault', () => {
    const check = checkMetadata({ type: 'UGC', id: 'ok', ds: 'x'.repeat(300), cid: 'bad\u0000' }, required);
    assert.match(message(check), /^Datasource is 300 characters long/);
  });

  it('accepts Unicode ids', () => {
    const metadata = { type: 'UGC', id: 'café-日本', ds: 'Ωmega wiki', cid: 'página 🙂' } as const;
    assert.deepEqual(cleaned(checkMetadata(metadata, required)), metadata);
  });

  it('returns only the four cleaned fields and leaves its input alone', () => {
    const input = { type: 'ICON', id: ' i ', ds: ' d ', cid: ' c ', extra: 'dropped' } as ImageMetadata;
    const snapshot = structuredClone(input);
    const result = cleaned(checkMetadata(input, required));
    assert.deepEqual(result, { type: 'ICON', id: 'i', ds: 'd', cid: 'c' });
    assert.deepEqual(input, snapshot);
  });
});

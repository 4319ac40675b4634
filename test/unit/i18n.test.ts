/**
 * Every word a person sees comes from public/_locales/en/messages.json: each message is described for
 * translators, used, and consistent in its placeholders; the code names only messages that exist; the
 * pages hold no English of their own; and the words stay out of the JavaScript bundles.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { t, type MessageName } from '../../src/shared/i18n.ts';

interface LocaleEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content?: string; example?: string }>;
}

const root = new URL('../..', import.meta.url).pathname;
const messages = JSON.parse(readFileSync(join(root, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, LocaleEntry>;
const names = Object.keys(messages);

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => pattern.test(file))
    .map((file) => join(root, dir, file));
}

const sources = filesUnder('src', /\.tsx?$/).map((file) => ({ file: relative(root, file), text: readFileSync(file, 'utf8') }));
const manifest = readFileSync(join(root, 'manifest.json'), 'utf8');

describe('messages.json', () => {
  it('names every message as Chrome allows, and describes it for translators', () => {
    for (const [name, entry] of Object.entries(messages)) {
      assert.match(name, /^[A-Za-z0-9_]+$/, name);
      assert.ok(entry.message.trim(), `${name} has no message`);
      assert.ok(entry.description?.trim(), `${name} has no description`);
    }
  });

  it('gives every name a non-empty message through chrome.i18n (test/setup/locale.ts)', () => {
    for (const name of names as MessageName[]) {
      const text = t(name);
      assert.ok(text !== '' && text !== name, `${name}: ${JSON.stringify(text)}`);
    }
  });

  it('defines every $PLACEHOLDER$ a message uses, uses every one it defines, each with $1…$9 and an example', () => {
    for (const [name, entry] of Object.entries(messages)) {
      const used = new Set([...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map(([, placeholder = '']) => placeholder.toLowerCase()));
      const defined = Object.entries(entry.placeholders ?? {});
      assert.deepEqual([...used].sort(), defined.map(([key]) => key.toLowerCase()).sort(), `${name}: used vs defined placeholders`);
      const contents = defined.map(([key, { content, example }]) => {
        assert.match(content ?? '', /^\$[1-9]$/, `${name}.${key}: content`);
        assert.ok(example?.trim(), `${name}.${key}: no example`);
        return content;
      });
      // $1…$n, each once: what the code passes to t() by position.
      assert.deepEqual([...contents].sort(), Array.from(contents, (_, i) => `$${i + 1}`), `${name}: placeholder contents`);
    }
  });
});

describe('t() and the test locale', () => {
  const scope = globalThis as unknown as { chrome: { i18n: { getMessage(name: string, substitutions?: string | string[]): string } } };

  it('fills placeholders by position, numbers as text, without scanning what it filled in', () => {
    assert.equal(t('gleanWaitSeconds', 30), '30 s');
    assert.equal(t('popupFileSelected', 'a $1 $$.png', '1.0 KB'), 'a $1 $$.png selected (1.0 KB).');
    assert.equal(t('connectionUnexpectedStatus', 'acme-prod-be.glean.com', 418), 'acme-prod-be.glean.com answered unexpectedly (418). Check the instance name.');
  });

  it("follows Chrome's rules: names in any case, a missing substitution empty, an unknown name ''", () => {
    const { getMessage } = scope.chrome.i18n;
    assert.equal(getMessage('POPUPQUERYKEY', ['k1']), 'key k1');
    assert.equal(getMessage('popupQueryKey'), 'key ');
    assert.equal(getMessage('popupQueryKey', 'k2'), 'key k2');
    assert.equal(getMessage('noSuchMessage'), '');
  });

  it("shows a message's name rather than nothing when the browser has no text for it", () => {
    const real = scope.chrome.i18n;
    scope.chrome.i18n = { getMessage: () => '' };
    try {
      assert.equal(t('popupRetry'), 'popupRetry');
    } finally {
      scope.chrome.i18n = real;
    }
  });
});

describe('the code and the messages', () => {
  it("names only messages that exist in t('…')", () => {
    for (const { file, text } of sources) {
      for (const [, name = ''] of text.matchAll(/\bt\(\s*['"]([^'"]+)['"]/g)) {
        assert.ok(name in messages, `${file}: t('${name}') is not in messages.json`);
      }
    }
  });

  it('uses every message (in src as a quoted name, or in manifest.json as __MSG_name__)', () => {
    const all = sources.map(({ text }) => text).join('\n');
    const unused = names.filter((name) => !all.includes(`'${name}'`) && !manifest.includes(`__MSG_${name}__`));
    assert.deepEqual(unused, []);
  });
});

/** `placeholder="Name"` and friends: attributes people read or hear. */
const WORDED_ATTRIBUTES = new Set(['placeholder', 'aria-label', 'aria-description', 'title', 'alt', 'label']);
/** `{ kind: 'alert', text: 'Something…' }` and errors' `message`: properties whose strings are shown. */
const WORDED_PROPERTIES = new Set(['text', 'message', 'title', 'reason']);
const hasWords = (text: string): boolean => /\p{L}/u.test(text);

/** Literal words in a page's code: JSX text, worded attributes, and shown properties set to a string. */
function literalWords(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const where = (node: ts.Node): string => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  // A string, or one a condition picks: `copied ? 'Copied' : 'Copy URL'`, `name || 'pasted image'`.
  const isWordedString = (node: ts.Node | undefined): boolean => {
    if (node === undefined) return false;
    if (ts.isParenthesizedExpression(node)) return isWordedString(node.expression);
    if (ts.isConditionalExpression(node)) return isWordedString(node.whenTrue) || isWordedString(node.whenFalse);
    if (ts.isBinaryExpression(node) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)) {
      return isWordedString(node.right);
    }
    return (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) && hasWords(node.getText());
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && hasWords(node.text)) found.push(`${where(node)} text ${JSON.stringify(node.text.trim())}`);
    if (ts.isJsxExpression(node) && ts.isJsxElement(node.parent) && isWordedString(node.expression)) {
      found.push(`${where(node)} child ${node.getText()}`);
    }
    if (ts.isJsxAttribute(node) && WORDED_ATTRIBUTES.has(node.name.getText())) {
      const value = node.initializer && ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer;
      if (isWordedString(value)) found.push(`${where(node)} ${node.getText()}`);
    }
    if (ts.isPropertyAssignment(node) && WORDED_PROPERTIES.has(node.name.getText()) && isWordedString(node.initializer)) {
      found.push(`${where(node)} ${node.getText()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the pages hold no words of their own', () => {
  it('finds literal words where the check looks (a self-test)', () => {
    const sample = `const n = { kind: 'alert', text: 'Saved.' };
      export const A = () => <p title="Hint" alt={\`Photo\`}>Save <b>{'now'}</b>{t('x')} · {n.text}{n ? 'Copied' : t('y')}</p>;`;
    assert.equal(literalWords('sample.tsx', sample).length, 6);
  });

  for (const dir of ['src/popup', 'src/options', 'src/ui']) {
    it(`${dir}: every word comes from t()`, () => {
      const found = filesUnder(dir, /\.tsx?$/).flatMap((file) => literalWords(relative(root, file), readFileSync(file, 'utf8')));
      assert.deepEqual(found, []);
    });
  }
});

describe('the bundles', () => {
  const metafile = join(root, 'dist/metafile.json');
  const skip = existsSync(metafile) ? false : 'no dist/metafile.json: run `npm run build` first';

  it('do not bundle messages.json (the import in src/shared/i18n.ts is type-only)', { skip }, () => {
    const { inputs } = JSON.parse(readFileSync(metafile, 'utf8')) as { inputs: Record<string, unknown> };
    assert.deepEqual(Object.keys(inputs).filter((input) => input.includes('_locales')), []);
  });

  it('carry none of the messages', { skip }, () => {
    const js = filesUnder('dist/chrome', /\.js$/).map((file) => readFileSync(file, 'utf8')).join('\n');
    // Long messages only: a short one ("Upload") may well be a word of the code itself.
    const carried = Object.entries(messages).filter(([, { message }]) => message.length >= 24 && js.includes(message));
    assert.deepEqual(carried.map(([name]) => name), []);
  });
});

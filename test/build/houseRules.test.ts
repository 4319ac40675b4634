/** The house rules in eslint.config.js really fail code that breaks token custody. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

const cases: [string, string, string, RegExp | null][] = [
  ['the token key outside settings', 'src/popup/leak.ts', "export const k = 'gleanApiToken';", /Only src\/worker\/settings.ts/],
  ['the token key inside settings', 'src/worker/settings.ts', "export const k = 'gleanApiToken';", null],
  ['an Authorization header object outside the client', 'src/worker/x.ts', "export const h = { Authorization: 'Bearer x' };", /Authorization header/],
  ['an Authorization header string key', 'src/worker/x.ts', "export const h = { 'authorization': 'x' };", /Authorization header/],
  ['Headers.set of Authorization', 'src/worker/x.ts', "new Headers().set('Authorization', 'x');", /Authorization header/],
  ['an Authorization header in the client', 'src/glean/client.ts', "export const h = { Authorization: 'Bearer x' };", null],
  ['fetch without credentials: omit', 'src/worker/x.ts', "void fetch('https://example.com/a.png');", /credentials: 'omit'/],
  ['fetch with credentials: omit', 'src/worker/x.ts', "void fetch('https://example.com/a.png', { credentials: 'omit' });", null],
  ['the chrome global instead of the polyfill', 'src/popup/x.ts', 'void chrome.runtime.id;', /webextension-polyfill/],
];

describe('house lint rules', () => {
  for (const [what, file, code, expected] of cases) {
    test(`${what}: ${expected ? 'refused' : 'allowed'}`, async () => {
      const messages = await ruleMessages(file, code);
      if (expected) assert.ok(messages.some((m) => expected.test(m)), `expected a house-rule error, got ${JSON.stringify(messages)}`);
      else assert.deepEqual(messages, []);
    });
  }
});

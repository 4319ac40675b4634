// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Only src/worker/settings.ts may name the storage key that holds the API token. */
const TOKEN_RULES = [
  {
    selector: "Literal[value='gleanApiToken']",
    message: 'Only src/worker/settings.ts may read or write the API token.',
  },
];

/** Only src/worker/signIn/signInStore.ts may name the storage key that holds the access and refresh tokens. */
const SIGN_IN_RULES = [
  {
    selector: "Literal[value='gleanSignIn']",
    message: 'Only src/worker/signIn/signInStore.ts may read or write the sign-in.',
  },
];

/** Only the Glean client sends the Authorization header. */
const AUTHORIZATION_RULES = [
  {
    selector: 'Property > Literal.key[value=/^authorization$/i], Property > Identifier.key[name=/^authorization$/i]',
    message: 'Only src/glean/client.ts may set an Authorization header.',
  },
  {
    selector: "CallExpression[callee.property.name=/^(set|append)$/] > Literal:first-child[value=/^authorization$/i]",
    message: 'Only src/glean/client.ts may set an Authorization header.',
  },
];

/**
 * Network calls outside the Glean client must never carry credentials: each must say
 * `credentials: 'omit'` (or fetch a data: or blob: URL, listed by file), so a cookie or token never
 * rides along to a page's image server.
 */
/** Markup from strings is how an image's SVG or a server's error page would become script. */
const MARKUP_RULES = [
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Render text, never markup from strings.' },
];

const FETCH_RULES = [
  {
    selector: "CallExpression[callee.name='fetch']:not(:has(Property[key.name='credentials'][value.value='omit']))",
    message: "Only src/glean/client.ts talks to Glean; any other fetch must pass credentials: 'omit'.",
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'artifacts/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'smart'],
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
    },
  },
  {
    files: ['test/**', 'scripts/**', 'sandbox/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  // House rules: token custody and one browser API, written as lint rules so a review cannot miss them.
  {
    files: ['src/**'],
    ignores: ['src/worker/settings.ts', 'src/glean/client.ts', 'src/worker/signIn/signInStore.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...TOKEN_RULES, ...SIGN_IN_RULES, ...FETCH_RULES, ...AUTHORIZATION_RULES, ...MARKUP_RULES],
    },
  },
  {
    files: ['src/glean/client.ts'],
    rules: { 'no-restricted-syntax': ['error', ...TOKEN_RULES, ...SIGN_IN_RULES] },
  },
  {
    files: ['src/worker/settings.ts'],
    rules: { 'no-restricted-syntax': ['error', ...SIGN_IN_RULES, ...FETCH_RULES, ...AUTHORIZATION_RULES] },
  },
  {
    files: ['src/worker/signIn/signInStore.ts'],
    rules: { 'no-restricted-syntax': ['error', ...TOKEN_RULES, ...FETCH_RULES, ...AUTHORIZATION_RULES] },
  },
  {
    files: ['src/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'chrome', message: 'Use `browser` from webextension-polyfill: one API for Chrome and Firefox.' }],
      'no-restricted-properties': ['error', { property: 'innerHTML', message: 'Render with Preact; never write HTML from strings.' }],
    },
  },
);

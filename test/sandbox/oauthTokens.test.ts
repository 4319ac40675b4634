import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redirectUriMatches } from '../../sandbox/oauth/redirectPatterns.ts';
import { GrantError, TokenStore, s256 } from '../../sandbox/oauth/tokens.ts';

const VERIFIER = 'v'.repeat(43);
const REDIRECT = 'https://abc.chromiumapp.org/';

function store(): { tokens: TokenStore; advance: (ms: number) => void } {
  let now = 1_000_000;
  return { tokens: new TokenStore('t_', () => now), advance: (ms) => (now += ms) };
}

function codeFor(tokens: TokenStore, scope: string[] = ['offline_access']): string {
  return tokens.issueCode({ clientId: 'c', redirectUri: REDIRECT, codeChallenge: s256(VERIFIER), scope });
}

function grantErrorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof GrantError, String(error));
    return `${error.code}: ${error.message}`;
  }
  return assert.fail('expected a GrantError');
}

test('an authorization code lives one minute', () => {
  const { tokens, advance } = store();
  const fresh = codeFor(tokens);
  const stale = codeFor(tokens);
  advance(59_000);
  assert.ok(tokens.exchangeCode(fresh, 'c', REDIRECT, VERIFIER).accessToken);
  advance(1_000);
  assert.match(grantErrorOf(() => tokens.exchangeCode(stale, 'c', REDIRECT, VERIFIER)), /^invalid_grant: .*expired/);
});

test('a code is bound to its redirect URI, and the verifier must have RFC 7636 form', () => {
  const { tokens } = store();
  const code = codeFor(tokens);
  assert.match(grantErrorOf(() => tokens.exchangeCode(code, 'c', 'https://other.chromiumapp.org/', VERIFIER)), /redirect_uri/);
  const short = 'v'.repeat(42);
  const shortCode = tokens.issueCode({ clientId: 'c', redirectUri: REDIRECT, codeChallenge: s256(short), scope: [] });
  assert.match(grantErrorOf(() => tokens.exchangeCode(shortCode, 'c', REDIRECT, short)), /PKCE/);
});

test('access tokens expire after their lifetime; refresh tokens after 180 days', () => {
  const { tokens, advance } = store();
  tokens.setAccessTokenLifetime(60);
  const issued = tokens.exchangeCode(codeFor(tokens), 'c', REDIRECT, VERIFIER);
  const known = (): boolean => true;
  assert.deepEqual(tokens.accessTokenStatus(issued.accessToken, known), { known: true, valid: true, clientId: 'c', scope: ['offline_access'] });
  advance(60_000);
  assert.deepEqual(tokens.accessTokenStatus(issued.accessToken, known), { known: true, valid: false, reason: 'expired' });
  assert.deepEqual(tokens.accessTokenStatus('t_at_nothing', known), { known: false });
  assert.ok(issued.refreshToken);
  advance(180 * 24 * 3600 * 1000);
  assert.match(grantErrorOf(() => tokens.refresh(issued.refreshToken ?? '', 'c', undefined)), /expired/);
  assert.throws(() => tokens.setAccessTokenLifetime(0), RangeError);
});

test('a refresh may narrow the scope but not widen it', () => {
  const { tokens } = store();
  const issued = tokens.exchangeCode(codeFor(tokens, ['offline_access', 'search']), 'c', REDIRECT, VERIFIER);
  assert.ok(issued.refreshToken);
  assert.match(grantErrorOf(() => tokens.refresh(issued.refreshToken ?? '', 'c', ['offline_access', 'chat'])), /^invalid_scope/);
  assert.deepEqual(tokens.refresh(issued.refreshToken, 'c', ['offline_access']).scope, ['offline_access']);
});

test('redirect URI patterns: * stays within one host label or one path segment, and may be empty', () => {
  const pattern = 'https://*.chromiumapp.org/*';
  assert.ok(redirectUriMatches(pattern, 'https://abc.chromiumapp.org/'));
  assert.ok(redirectUriMatches(pattern, 'https://abc.chromiumapp.org/cb'));
  assert.ok(!redirectUriMatches(pattern, 'https://a.b.chromiumapp.org/'));
  assert.ok(!redirectUriMatches(pattern, 'https://abc.chromiumapp.org/a/b'));
  assert.ok(!redirectUriMatches(pattern, 'https://abc.chromiumapp.org.evil.example/'));
  assert.ok(!redirectUriMatches(pattern, 'https://abc.chromiumapp.org/?next=x'));
  assert.ok(redirectUriMatches('https://example.com/callback', 'https://example.com/callback'));
  assert.ok(!redirectUriMatches('https://example.com/callback', 'https://example.com/callbackx'));
});

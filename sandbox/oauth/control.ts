/** /_sandbox/oauth/…: the OAuth controls of the sandbox for people and curl (tests call sandbox.oauth directly). */
import { jsonReply, textReply, type Reply } from '../reply.ts';
import type { DiscoveryForm, SandboxOAuth } from './authorizationServer.ts';
import type { RegistrationPolicy } from './clients.ts';

export const OAUTH_CONTROL_PREFIX = '/_sandbox/oauth/';

export const OAUTH_CONTROL_ENDPOINTS: readonly string[] = [
  'GET /_sandbox/oauth/clients',
  'POST /_sandbox/oauth/registration "any"|"disabled"|{"redirectUriPatterns":["https://*.chromiumapp.org/*"]}',
  'POST /_sandbox/oauth/static-clients {"redirectUriPatterns":[…]}',
  'POST /_sandbox/oauth/discovery?form=both|issuer-path|root',
  'POST /_sandbox/oauth/access-token-lifetime?seconds=N',
  'POST /_sandbox/oauth/expire-access-tokens',
  'POST /_sandbox/oauth/revoke-refresh-tokens',
  'POST /_sandbox/oauth/forget-clients',
  'POST /_sandbox/oauth/end-sessions',
  'POST /_sandbox/oauth/silent-sign-in?enabled=true|false',
];
const OAUTH_CONTROL_HELP = OAUTH_CONTROL_ENDPOINTS.join(' | ');

const DISCOVERY_FORMS: readonly DiscoveryForm[] = ['both', 'issuer-path', 'root'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function patternsOf(value: unknown): string[] {
  const patterns = isRecord(value) ? value.redirectUriPatterns : undefined;
  if (!Array.isArray(patterns) || !patterns.every((pattern) => typeof pattern === 'string')) {
    throw new TypeError('send {"redirectUriPatterns": ["https://*.chromiumapp.org/*", …]}');
  }
  return patterns;
}

function registrationPolicy(value: unknown): RegistrationPolicy {
  if (value === 'any' || value === 'disabled') return value;
  return { redirectUriPatterns: patternsOf(value) };
}

function json(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new TypeError('the body must be JSON');
  }
}

function answer(method: string, url: URL, body: Buffer, oauth: SandboxOAuth): Reply {
  const route = `${method} ${url.pathname.slice(OAUTH_CONTROL_PREFIX.length)}`;
  const done = (what: Record<string, unknown>): Reply => jsonReply(200, what);
  switch (route) {
    case 'GET clients':
      return jsonReply(200, { issuer: oauth.issuer, clients: oauth.clients, issuedTokens: oauth.issuedTokens });
    case 'POST registration': {
      const policy = registrationPolicy(json(body));
      oauth.setRegistration(policy);
      return done({ registration: policy });
    }
    case 'POST static-clients':
      return done({ client_id: oauth.addStaticClient({ redirectUriPatterns: patternsOf(json(body)) }) });
    case 'POST discovery': {
      const form = DISCOVERY_FORMS.find((candidate) => candidate === url.searchParams.get('form'));
      if (!form) throw new TypeError(`form must be one of ${DISCOVERY_FORMS.join(', ')}`);
      oauth.setDiscovery(form);
      return done({ discovery: form });
    }
    case 'POST access-token-lifetime': {
      const seconds = Number(url.searchParams.get('seconds'));
      oauth.setAccessTokenLifetime(seconds);
      return done({ accessTokenLifetimeSeconds: seconds });
    }
    case 'POST expire-access-tokens':
      oauth.expireAccessTokens();
      return done({ expired: true });
    case 'POST revoke-refresh-tokens':
      oauth.revokeRefreshTokens();
      return done({ revoked: true });
    case 'POST forget-clients':
      oauth.forgetClients();
      return done({ forgotten: true });
    case 'POST end-sessions':
      oauth.endSessions();
      return done({ ended: true });
    case 'POST silent-sign-in': {
      const enabled = url.searchParams.get('enabled');
      if (enabled !== 'true' && enabled !== 'false') throw new TypeError('enabled must be true or false');
      oauth.setSilentSignIn(enabled === 'true');
      return done({ silentSignIn: enabled === 'true' });
    }
    default:
      return textReply(404, `unknown OAuth control endpoint ${method} ${url.pathname}; try ${OAUTH_CONTROL_HELP}`);
  }
}

export function oauthControl(method: string, url: URL, body: Buffer, oauth: SandboxOAuth): Reply {
  try {
    return answer(method, url, body, oauth);
  } catch (error) {
    return jsonReply(400, { error: error instanceof Error ? error.message : String(error) });
  }
}

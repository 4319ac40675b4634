import { parseArgs } from 'node:util';
import { CONTROL_ENDPOINTS } from './control.ts';
import { EXTENSION_REDIRECT_PATTERNS } from './oauth/redirectPatterns.ts';
import { startIdentityProvider, startSandbox } from './server.ts';

const USAGE =
  'usage: npm run sandbox -- [--port N (default 8787, 0 = any free port)] [--token T] [--identity-provider (also start a company IdP that Glean trusts)]';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    token: { type: 'string' },
    'identity-provider': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer from 0 to 65535, got ${values.port}\n${USAGE}`);
  process.exit(2);
}

/** Where browsers send extensions back from launchWebAuthFlow (identity.getRedirectURL()). */
const EXTENSION_REDIRECTS = Object.values(EXTENSION_REDIRECT_PATTERNS);

const identityProvider = values['identity-provider'] ? await startIdentityProvider({ log: console.log }) : undefined;
const sandbox = await startSandbox({ port, token: values.token, log: console.log, identityProvider });
console.log(`Glean images sandbox at ${sandbox.url}`);
console.log(`Sign in: set the extension's "Glean instance" to ${sandbox.url} in Options and press "Sign in with Glean";`);
console.log(`  the sandbox's sign-in page has no password: press "Allow". (OAuth issuer ${sandbox.oauth.issuer},`);
console.log(`  metadata ${sandbox.url}/.well-known/oauth-authorization-server/oauth, any redirect URI may register.)`);
console.log(`Or paste this API token instead of signing in: ${sandbox.token}`);
console.log(`A global token (needs "Act as", else 400): ${sandbox.globalToken}`);
if (identityProvider) {
  const clientId = identityProvider.addClient({ redirectUriPatterns: EXTENSION_REDIRECTS });
  console.log(`Company identity provider at ${identityProvider.url} (issuer; OpenID discovery at /.well-known/openid-configuration),`);
  console.log(`  client_id ${clientId}; Glean accepts its access tokens with X-Glean-Auth-Type: OAUTH.`);
}
console.log('Control (no auth, local only):');
for (const line of CONTROL_ENDPOINTS) console.log(`  ${line}`);

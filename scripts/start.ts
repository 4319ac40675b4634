/**
 * `npm start`: build, start the sandbox, and open a Chromium with the dev build already pointed at
 * the sandbox (no token saved), so that a person signs in with one press of "Sign in with Glean" and
 * sees the extension work with no Glean account. Ctrl+C stops everything.
 */
import { join } from 'node:path';
import { startSandbox } from '../sandbox/server.ts';
import { launchExtension, root } from '../test/harness/chromium.ts';
import { saveSettings } from '../test/harness/configure.ts';
import { buildAll } from './build.ts';

await buildAll();
const sandbox = await startSandbox({ port: Number(process.env.SANDBOX_PORT ?? 8787), token: 'sandbox-token-1234', log: console.log });
console.log(`Glean sandbox at ${sandbox.url} (OAuth issuer ${sandbox.oauth.issuer}; API token ${sandbox.token})`);

if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.log(`
There is no display here, so no browser was opened. To try the extension by hand:
  1. Open chrome://extensions, switch on Developer mode, "Load unpacked" and choose
     ${join(root, 'dist', 'chrome-dev')}
  2. In its Options, set "Glean instance" to ${sandbox.url} and press "Sign in with Glean", then
     "Allow" on the sandbox's sign-in page (it asks for no password).
     (Or, instead of signing in, set "API token" to ${sandbox.token} and Save.)
The sandbox keeps running until Ctrl+C.`);
} else {
  const extension = await launchExtension({ headless: false });
  const options = await extension.openPage('options.html');
  // No token: pressing "Sign in with Glean" in Options is all a person does.
  await saveSettings(options, { instance: sandbox.url, token: '', defaults: { type: 'UGC', id: '', ds: '', cid: '' } });
  await options.reload();
  await extension.openPage('popup.html');
  console.log(`Chromium is open with Glean Images pointed at the sandbox. In Options, press "Sign in with Glean", then "Allow".
(The API token ${sandbox.token} works too.) Close Chromium or press Ctrl+C to stop.`);
  extension.context.on('close', () => void sandbox.close().then(() => process.exit(0)));
}

process.on('SIGINT', () => void sandbox.close().then(() => process.exit(0)));

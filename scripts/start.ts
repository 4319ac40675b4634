/**
 * `npm start`: build, start the sandbox, and open a Chromium with the dev build already pointed at
 * the sandbox, so a person sees the extension work with no Glean account. Ctrl+C stops everything.
 */
import { join } from 'node:path';
import { startSandbox } from '../sandbox/server.ts';
import { launchExtension, root } from '../test/harness/chromium.ts';
import { saveSettings } from '../test/harness/configure.ts';
import { buildAll } from './build.ts';

await buildAll();
const sandbox = await startSandbox({ port: Number(process.env.SANDBOX_PORT ?? 8787), token: 'sandbox-token-1234', log: console.log });
console.log(`Glean sandbox at ${sandbox.url} (token ${sandbox.token})`);

if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.log(`
There is no display here, so no browser was opened. To try the extension by hand:
  1. Open chrome://extensions, switch on Developer mode, "Load unpacked" and choose
     ${join(root, 'dist', 'chrome-dev')}
  2. In its Options, set "Glean instance" to ${sandbox.url} and "API token" to ${sandbox.token}, then Save.
The sandbox keeps running until Ctrl+C.`);
} else {
  const extension = await launchExtension({ headless: false });
  const options = await extension.openPage('options.html');
  await saveSettings(options, { instance: sandbox.url, token: sandbox.token, defaults: { type: 'UGC', id: '', ds: '', cid: '' } });
  await options.reload();
  await extension.openPage('popup.html');
  console.log('Chromium is open with Glean Images pointed at the sandbox. Close it or press Ctrl+C to stop.');
  extension.context.on('close', () => void sandbox.close().then(() => process.exit(0)));
}

process.on('SIGINT', () => void sandbox.close().then(() => process.exit(0)));

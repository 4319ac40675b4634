import { parseArgs } from 'node:util';
import { CONTROL_HELP } from './control.ts';
import { startSandbox } from './server.ts';

const USAGE = 'usage: npm run sandbox -- [--port N (default 8787, 0 = any free port)] [--token T]';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    token: { type: 'string' },
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

const sandbox = await startSandbox({ port, token: values.token, log: console.log });
console.log(`Glean images sandbox at ${sandbox.url}`);
console.log(`Token: ${sandbox.token}`);
console.log(`Control (no auth, local only): ${CONTROL_HELP}`);

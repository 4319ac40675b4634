/**
 * HTTPS in front of a plain-http server on loopback, under names of the test's choosing: the store
 * build may reach only `https://*.glean.com/*` (and other sites only once the person allows them),
 * so a test of the store build gives the sandbox a `*.glean.com` name, and a web site a name of its
 * own, and has the browser send those names here (Chromium: `--host-resolver-rules`; Firefox: the
 * CONNECT proxy of ./namesProxy.ts) and accept the throwaway certificate.
 * It pipes bytes through unchanged, so the server behind sees the same requests a browser sends.
 */
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer } from 'node:tls';
import { generate } from 'selfsigned';

export interface HttpsFront {
  readonly port: number;
  /** The names it answers for, such as `acme-be.glean.com` or `*.example.test`. */
  readonly names: readonly string[];
  /** Chromium flags that send `https://<name>` here and accept the certificate (see `chromiumNameArgs`). */
  readonly chromiumArgs: string[];
  close(): Promise<void>;
}

export async function startHttpsFront(names: string | readonly string[], backendPort: number): Promise<HttpsFront> {
  const all = typeof names === 'string' ? [names] : names;
  const pems = await generate([{ name: 'commonName', value: all[0] ?? 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: all.map((value) => ({ type: 2, value })) }],
  });
  const sockets = new Set<Socket>();
  const server = createServer({ key: pems.private, cert: pems.cert }, (client) => {
    const backend = connect(backendPort, '127.0.0.1');
    for (const socket of [client, backend]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // A reset on one side ends the other; the browser or the sandbox reports it, not this pipe.
      socket.on('error', () => undefined);
    }
    client.pipe(backend).pipe(client);
    client.on('close', () => backend.destroy());
    backend.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const front: HttpsFront = {
    port,
    names: all,
    get chromiumArgs() {
      return chromiumNameArgs([front]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return front;
}

/**
 * One `--host-resolver-rules` for all the fronts (Chromium keeps only the last of several flags), and
 * `--ignore-certificate-errors` for their self-signed certificates. A rule's name may hold a `*`
 * (`*.example.test:443`): Chromium matches it as a pattern against `host:port`.
 */
export function chromiumNameArgs(fronts: readonly HttpsFront[]): string[] {
  const rules = fronts.flatMap((front) => front.names.map((name) => `MAP ${name}:443 127.0.0.1:${front.port}`));
  return [`--host-resolver-rules=${rules.join(', ')}`, '--ignore-certificate-errors'];
}

/**
 * HTTPS in front of a plain-http server, under a `*.glean.com` name: the store build may reach only
 * `https://*.glean.com/*`, so a test of the store build maps that name to this port
 * (`--host-resolver-rules`) and accepts its throwaway certificate (`--ignore-certificate-errors`).
 * It pipes bytes through unchanged, so the server behind sees the same requests a browser sends.
 */
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer } from 'node:tls';
import { generate } from 'selfsigned';

export interface HttpsFront {
  readonly port: number;
  /** Chromium flags that send `https://<hostname>` here and accept the certificate. */
  readonly chromiumArgs: string[];
  close(): Promise<void>;
}

export async function startHttpsFront(hostname: string, backendPort: number): Promise<HttpsFront> {
  const pems = await generate([{ name: 'commonName', value: hostname }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: hostname }] }],
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
  return {
    port,
    chromiumArgs: [`--host-resolver-rules=MAP ${hostname}:443 127.0.0.1:${port}`, '--ignore-certificate-errors'],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

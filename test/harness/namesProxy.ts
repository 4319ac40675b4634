/**
 * Firefox's way to the HTTPS fronts (./httpsFront.ts). Firefox has no pref that maps a name to a port
 * (`network.dns.localDomains` and `network.dns.forceResolve` give an address, so `https://<name>`
 * would still go to port 443, which a test cannot have), but it sends every `https://` request
 * through an HTTP proxy when told to (`network.proxy.ssl`), as a `CONNECT <name>:443`: this proxy
 * answers such a CONNECT for a front's name with a tunnel to that front, and refuses anything else.
 * Firefox never sends loopback addresses to a proxy (`network.proxy.allow_hijacking_localhost` is
 * false by default), so the sandbox on 127.0.0.1 is still reached directly.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { HttpsFront } from './httpsFront.ts';

export interface NamesProxy {
  readonly port: number;
  /** Firefox preferences that send `https://` through this proxy. */
  readonly firefoxPrefs: Record<string, string | number | boolean>;
  close(): Promise<void>;
}

/** `*.example.test` matches `a.example.test`, as Chromium's host rules do. */
const matches = (pattern: string, host: string): boolean =>
  pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : pattern === host;

export async function startNamesProxy(fronts: readonly HttpsFront[]): Promise<NamesProxy> {
  const sockets = new Set<Socket | Duplex>();
  const track = (socket: Socket | Duplex): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request: IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    const [host = '', port = ''] = (request.url ?? '').split(':');
    const front = port === '443' ? fronts.find((candidate) => candidate.names.some((name) => matches(name, host))) : undefined;
    if (!front) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const backend = connect(front.port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) backend.write(head);
      client.pipe(backend).pipe(client);
    });
    track(backend);
    client.on('close', () => backend.destroy());
    backend.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    firefoxPrefs: {
      // 1: the proxies named here; only https:// goes through one.
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': port,
      'network.proxy.share_proxy_settings': false,
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * An administrator's update server on loopback: serves a kit folder (updates.xml and the CRX) with the
 * MIME types Chrome expects, and records what the browser asked for.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.xml': 'text/xml; charset=utf-8',
  // Chrome installs a self-hosted CRX served with this type
  // (https://developer.chrome.com/docs/extensions/how-to/distribute/host-on-linux#hosting).
  '.crx': 'application/x-chrome-extension',
};

export interface KitServer {
  /** http://127.0.0.1:<port>, the kit's base URL. */
  readonly url: string;
  /** Paths requested, in order (query strings dropped). */
  readonly requests: readonly string[];
  /** The folder served from now on. */
  serve(dir: string): void;
  close(): Promise<void>;
}

export async function startKitServer(dir: string): Promise<KitServer> {
  let served = dir;
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    const name = basename(path);
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (request.method !== 'GET' || path !== `/${name}` || !type) {
      response.writeHead(404).end();
      return;
    }
    readFile(join(served, name)).then(
      (body) => response.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    serve(next) {
      served = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

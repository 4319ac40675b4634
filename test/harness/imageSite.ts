/**
 * A tiny web site with images to right-click, on 127.0.0.1 (and an image on 127.0.0.2, a site the
 * extension has no access to). It records every request's headers, so a test can check that
 * nothing but Glean ever receives the token.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { samplePng } from '../../sandbox/png.ts';

export interface SiteRequest {
  host: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface SiteImage {
  bytes: Buffer;
  sha256: string;
}

export interface ImageSite {
  /** The page: images with ids `web`, `data`, `blob`, `revoked` (a blob: URL revoked once shown),
   * `members-only` (sent only with the cookie `session=page-login`, else a sign-in page),
   * `not-an-image` (an HTML page at a .png address) and `elsewhere` (on 127.0.0.2). */
  pageUrl: string;
  images: Record<'web' | 'data' | 'blob' | 'elsewhere', SiteImage>;
  requests: SiteRequest[];
  close(): Promise<void>;
}

/** The page's login: a test sets it in the browser; only `members-only` needs it. */
export const LOGIN_COOKIE = { name: 'session', value: 'page-login' };

const image = (seed: string, size: number): SiteImage => {
  const bytes = samplePng(seed, size, size);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
};

function page(images: ImageSite['images'], elsewhere: string): string {
  const base64 = (which: keyof ImageSite['images']) => images[which].bytes.toString('base64');
  return `<!doctype html>
<title>Images to right-click</title>
<body style="margin:0; display:grid; grid-template-columns:repeat(3, 220px); gap:10px">
<img id="web" src="/picture-web.png" width="200" height="200" alt="web">
<img id="data" src="data:image/png;base64,${base64('data')}" width="200" height="200" alt="data">
<img id="blob" width="200" height="200" alt="blob">
<img id="revoked" width="200" height="200" alt="revoked">
<img id="members-only" src="/members-only.png" width="200" height="200" alt="members only">
<img id="not-an-image" src="/not-an-image.png" width="200" height="200" alt="not an image">
<img id="elsewhere" src="${elsewhere}/picture-elsewhere.png" width="200" height="200" alt="elsewhere">
<script>
  const bytes = Uint8Array.from(atob('${base64('blob')}'), (c) => c.charCodeAt(0));
  document.getElementById('blob').src = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
  const revoked = document.getElementById('revoked');
  revoked.onload = () => URL.revokeObjectURL(revoked.src);
  revoked.src = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
</script>`;
}

async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

export async function startImageSite(): Promise<ImageSite> {
  const images = { web: image('web', 90), data: image('data', 40), blob: image('blob', 50), elsewhere: image('elsewhere', 30) };
  const requests: SiteRequest[] = [];
  let elsewhere = '';
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const path = request.url ?? '/';
    requests.push({ host: request.headers.host ?? '', path, headers: request.headers });
    // Never cached: every read of an image is a request this site sees.
    const headers = { 'cache-control': 'no-store' };
    const signedIn = request.headers.cookie?.includes(`${LOGIN_COOKIE.name}=${LOGIN_COOKIE.value}`) === true;
    if (path === '/picture-web.png' || path === '/picture-elsewhere.png' || (path === '/members-only.png' && signedIn)) {
      response.writeHead(200, { ...headers, 'content-type': 'image/png' });
      response.end(path === '/picture-elsewhere.png' ? images.elsewhere.bytes : images.web.bytes);
    } else if (path === '/page.html') {
      response.writeHead(200, { ...headers, 'content-type': 'text/html' });
      response.end(page(images, elsewhere));
    } else {
      // What a site sends for a missing image, or a login wall: an HTML page, with 200.
      response.writeHead(200, { ...headers, 'content-type': 'image/png' });
      response.end('<!doctype html><title>Please sign in</title><p>Please sign in.');
    }
  };
  const [server, other] = [createServer(handle), createServer(handle)];
  const url = await listen(server, '127.0.0.1');
  elsewhere = await listen(other, '127.0.0.2');
  return {
    pageUrl: `${url}/page.html`,
    images,
    requests,
    async close() {
      for (const s of [server, other]) {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }
    },
  };
}

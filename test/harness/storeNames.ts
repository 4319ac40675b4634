/**
 * The names a test of the store build gives its loopback servers. The store build reaches Glean only
 * as `https://*.glean.com` and any other site only once the person allows it, so the sandbox answers
 * as `acme-be.glean.com` (the instance `acme`) and as `glean.example.test` (a server outside
 * `*.glean.com`, which Save asks access for), and the image site as `<anything>.images.example.test`,
 * each behind an HTTPS front (./httpsFront.ts). Chromium finds them with `--host-resolver-rules`
 * (`chromiumNameArgs`), Firefox through ./namesProxy.ts.
 */
import { startHttpsFront, type HttpsFront } from './httpsFront.ts';

export const STORE_INSTANCE = 'acme';
export const STORE_GLEAN_URL = 'https://acme-be.glean.com';
export const OUTSIDE_GLEAN_URL = 'https://glean.example.test';
/** A site's own name under this one gives it its own permission (`https://<name>.images.example.test/*`). */
export const IMAGE_SITE_DOMAIN = 'images.example.test';

export interface StoreFronts {
  fronts: readonly HttpsFront[];
  close(): Promise<void>;
}

export async function startStoreFronts({ sandboxPort, sitePort }: { sandboxPort: number; sitePort: number }): Promise<StoreFronts> {
  const fronts = await Promise.all([
    startHttpsFront([new URL(STORE_GLEAN_URL).hostname, new URL(OUTSIDE_GLEAN_URL).hostname], sandboxPort),
    startHttpsFront([`*.${IMAGE_SITE_DOMAIN}`], sitePort),
  ]);
  return {
    fronts,
    close: async () => {
      await Promise.all(fronts.map((front) => front.close()));
    },
  };
}

/** The part of crx3 1.1 (https://github.com/ahwayakchih/crx3) that scripts/packKit.ts uses. */
declare module 'crx3' {
  import type { Readable } from 'node:stream';

  interface Crx3Options {
    /** Where the CRX is written. */
    crxPath: string;
    /** A PEM private key; crx3 makes and saves a new one when the file is missing, so check it first. */
    keyPath: string;
  }

  interface Crx3Result {
    /** The extension ID, a-p encoded. */
    appId: string;
  }

  /** Signs a zip stream into a CRX3 file. */
  export default function crx3(zip: Readable, options: Crx3Options): Promise<Crx3Result>;
}

/**
 * The service worker's memory, sampled over DevTools. Playwright cannot open a CDP session on a
 * worker, so puppeteer-core connects to the same browser (launched with a debugging port) and talks to
 * the worker target directly. Being attached also keeps Chrome from stopping the worker when idle,
 * so the handle stays valid for every run.
 */
import puppeteer, { type Browser, type CDPSession } from 'puppeteer-core';
import type { Extension } from '../test/harness/chromium.ts';

export interface HeapPeak {
  /** V8's used heap (what DevTools calls JSHeapUsedSize). */
  jsHeap: number;
  /** The used heap plus ArrayBuffer backing stores, which live outside it: where a copy of a file's bytes would show. */
  withBuffers: number;
}

export interface WorkerHeap {
  /** Chromium's product version, e.g. `Chrome/156.0.8078.108`. */
  browserVersion: string;
  /** A full GC, so that each run starts from the worker's live memory and not from earlier garbage. */
  collectGarbage(): Promise<void>;
  now(): Promise<HeapPeak>;
  /** Samples until `during` settles and answers the highest values seen (and its result). */
  peakDuring<T>(during: () => Promise<T>): Promise<{ peak: HeapPeak; result: T }>;
  disconnect(): Promise<void>;
}

/** Often enough to see a 20 MB buffer that lives for the ~50 ms it takes to hash it. */
const SAMPLE_EVERY_MS = 5;

export async function connectWorkerHeap(extension: Extension): Promise<WorkerHeap> {
  if (!extension.debuggingPort) throw new Error('launch the extension with remoteDebugging to sample its worker');
  const browser: Browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${extension.debuggingPort}`, defaultViewport: null });
  const target = await browser.waitForTarget(
    (candidate) => candidate.type() === 'service_worker' && candidate.url().startsWith(`chrome-extension://${extension.id}/`),
  );
  const worker = await target.worker();
  if (!worker) throw new Error('the extension has no service worker to sample');
  const client: CDPSession = worker.client;

  async function now(): Promise<HeapPeak> {
    const usage = await client.send('Runtime.getHeapUsage');
    return { jsHeap: usage.usedSize, withBuffers: usage.usedSize + usage.backingStorageSize };
  }

  return {
    browserVersion: await browser.version(),
    async collectGarbage() {
      await client.send('HeapProfiler.collectGarbage');
    },
    now,
    async peakDuring(during) {
      const peak: HeapPeak = await now();
      let running = true;
      const sampling = (async () => {
        while (running) {
          const current = await now();
          peak.jsHeap = Math.max(peak.jsHeap, current.jsHeap);
          peak.withBuffers = Math.max(peak.withBuffers, current.withBuffers);
          await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
        }
      })();
      try {
        const result = await during();
        return { peak, result };
      } finally {
        running = false;
        await sampling;
      }
    },
    async disconnect() {
      await browser.disconnect();
    },
  };
}

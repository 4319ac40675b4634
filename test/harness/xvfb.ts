/**
 * A virtual X display of the test's own, for a headed browser (a real native context menu needs one).
 * `-displayfd` lets Xvfb pick a free display number and tell it once it accepts connections, so
 * tests running at once never collide on a number.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Display {
  /** Such as ":5", for DISPLAY. */
  name: string;
  /** Presses keys (xdotool names, such as `Up` or `Return`) in whatever has the focus, as a person would. */
  key(...keys: string[]): Promise<void>;
  /** Runs `action`, then waits until one more window shows than before: a menu, a submenu. */
  opening(action: () => Promise<unknown>, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startXvfb(): Promise<Display> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const exited = once(xvfb, 'exit').then(() => {
    throw new Error('Xvfb exited before its display was ready');
  });
  const announced = (async () => {
    let text = '';
    for await (const chunk of xvfb.stdio[3] as Readable) {
      text += String(chunk);
      if (text.includes('\n')) return `:${text.trim()}`;
    }
    throw new Error('Xvfb closed its display pipe without a number');
  })();
  const name = await Promise.race([announced, exited]);
  const xdotool = (...args: string[]) => run('xdotool', args, { env: { ...process.env, DISPLAY: name } });
  const showing = async (): Promise<number> => {
    // xdotool exits 1 when nothing matches.
    const { stdout } = await xdotool('search', '--onlyvisible', '--name', '').catch(() => ({ stdout: '' }));
    return stdout.split('\n').filter(Boolean).length;
  };
  return {
    name,
    async key(...keys) {
      await xdotool('key', '--delay', '50', ...keys);
    },
    async opening(action, timeoutMs = 10_000) {
      const before = await showing();
      await action();
      const deadline = Date.now() + timeoutMs;
      while ((await showing()) <= before) {
        if (Date.now() > deadline) throw new Error(`no new window showed within ${timeoutMs} ms`);
        await delay(50);
      }
    },
    async stop() {
      if (xvfb.exitCode !== null) return;
      const gone = once(xvfb, 'exit');
      xvfb.kill();
      await gone;
    },
  };
}

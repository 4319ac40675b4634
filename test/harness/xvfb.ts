/**
 * A virtual X display of the test's own, for a headed browser (a real native context menu needs one).
 * `-displayfd` lets Xvfb pick a free display number and tell it once it accepts connections, so
 * tests running at once never collide on a number. `-fbdir` has it keep the screen in a file, read
 * by `screen()` (./screen.ts).
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { asPattern } from '../scenarios/driver.ts';
import { readScreen, type Screen } from './screen.ts';

const run = promisify(execFile);
const SCREEN = { width: 1280, height: 800 };

export interface Display {
  /** Such as ":5", for DISPLAY. */
  name: string;
  /** Presses keys (xdotool names, such as `Up` or `Return`) in whatever has the focus, as a person would. */
  key(...keys: string[]): Promise<void>;
  /** Moves the pointer to (x, y) on the screen and clicks its right button, as a person would. */
  rightClick(x: number, y: number): Promise<void>;
  /** Types a browser's keyboard shortcut as `commands.getAll()` writes it ("Alt+Shift+P"), all keys at once. */
  shortcut(shortcut: string): Promise<void>;
  /**
   * Gives the keyboard to the visible window whose title starts with `title` (browsers title a window
   * after its page). With no window manager, X leaves the focus on the root window and Firefox takes no
   * key typed there; Chromium takes the focus itself when its window shows.
   */
  focusWindow(title: string): Promise<void>;
  /** Runs `action`, then waits until a popup shows that did not before: a menu, a submenu. */
  opening(action: () => Promise<unknown>, timeoutMs?: number): Promise<void>;
  /**
   * Waits until no popup shows. Chromium draws its notifications as popups of its own (no system
   * notification service under Xvfb); one that times out while a context menu is open takes the
   * menu with it, so a test that drives a menu first closes them and waits here.
   */
  withoutPopups(timeoutMs?: number): Promise<void>;
  /** What the display shows now, browser UI drawn inside a window included. */
  screen(): Promise<Screen>;
  stop(): Promise<void>;
}

export async function startXvfb(): Promise<Display> {
  const framebufferDir = await mkdtemp(join(tmpdir(), 'glean-images-xvfb-'));
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${SCREEN.width}x${SCREEN.height}x24`, '-nolisten', 'tcp', '-fbdir', framebufferDir], {
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
  /**
   * The visible windows without a title, other than the one the size of the screen: menus, submenus,
   * Chromium's notification popups. Browser windows have titles.
   */
  const popups = async (): Promise<Set<string>> => {
    // xdotool exits 1 when nothing matches.
    const { stdout } = await xdotool('search', '--onlyvisible', '--name', '^$').catch(() => ({ stdout: '' }));
    const ids = stdout.split('\n').filter(Boolean);
    const found = new Set<string>();
    for (const id of ids) {
      const { stdout: geometry } = await xdotool('getwindowgeometry', '--shell', id).catch(() => ({ stdout: '' }));
      if (!geometry.includes(`WIDTH=${SCREEN.width}\nHEIGHT=${SCREEN.height}`)) found.add(id);
    }
    return found;
  };
  const until = async (what: string, done: (showing: Set<string>) => boolean, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!done(await popups())) {
      if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
      await delay(50);
    }
  };
  return {
    name,
    async key(...keys) {
      await xdotool('key', '--delay', '50', ...keys);
    },
    async rightClick(x, y) {
      const to = [String(Math.round(x)), String(Math.round(y))];
      // `mousemove --sync` waits until the pointer has moved: where it already is, it waited 17 s
      // (the second of two right-clicks on the same spot), so the pointer moves only when it must.
      const { stdout } = await xdotool('getmouselocation', '--shell');
      const already = stdout.includes(`X=${to[0]}\n`) && stdout.includes(`Y=${to[1]}\n`);
      await xdotool(...(already ? [] : ['mousemove', '--sync', ...to]), 'click', '3');
    },
    async shortcut(shortcut) {
      await xdotool('key', shortcutKeys(shortcut));
    },
    async focusWindow(title) {
      // xdotool matches names as POSIX extended regular expressions: the title as literal text.
      const { stdout } = await xdotool('search', '--onlyvisible', '--name', `^${asPattern(title).source}`);
      const [id] = stdout.split('\n').filter(Boolean);
      if (!id) throw new Error(`no window titled "${title}…"`);
      await xdotool('windowfocus', '--sync', id);
    },
    async opening(action, timeoutMs = 10_000) {
      const before = await popups();
      await action();
      await until('no new popup showed', (showing) => [...showing].some((id) => !before.has(id)), timeoutMs);
    },
    async withoutPopups(timeoutMs = 10_000) {
      await until('popups still showed', (showing) => showing.size === 0, timeoutMs);
    },
    screen() {
      return readScreen(join(framebufferDir, 'Xvfb_screen0'));
    },
    async stop() {
      if (xvfb.exitCode === null) {
        const gone = once(xvfb, 'exit');
        xvfb.kill();
        await gone;
      }
      await rm(framebufferDir, { recursive: true, force: true });
    },
  };
}

/** xdotool's name for each key of a WebExtension shortcut (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/manifest.json/commands#key_combinations). */
export function shortcutKeys(shortcut: string): string {
  const names: Record<string, string> = { Ctrl: 'ctrl', MacCtrl: 'ctrl', Alt: 'alt', Shift: 'shift', Command: 'super', Comma: 'comma', Period: 'period', Space: 'space' };
  return shortcut
    .split('+')
    .map((key) => names[key] ?? (key.length === 1 ? key.toLowerCase() : key))
    .join('+');
}

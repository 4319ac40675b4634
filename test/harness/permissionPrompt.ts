/**
 * Whether Chromium's extension permission prompt ("<extension> has requested additional permissions",
 * Deny and Allow) shows on a screen, and whether its Allow button is enabled yet.
 *
 * Allow starts disabled: Chromium enables it 500 ms after the dialog becomes visible
 * (`g_install_delay_in_ms` in chrome/browser/ui/views/extensions/extension_install_dialog_view.cc,
 * https://source.chromium.org/chromium/chromium/src/+/main:chrome/browser/ui/views/extensions/extension_install_dialog_view.cc),
 * and until then Tab skips it, so "Tab, Return" pressed as soon as the dialog takes the focus lands
 * on Deny. Drawn inside the browser's own window, the dialog is seen only in the display's pixels.
 *
 * Measured on Chromium 156 (light theme, a fresh profile): Deny, the default button, is filled
 * rgb(13, 80, 187); Allow is filled rgb(229, 229, 229) while disabled and rgb(211, 227, 253) once
 * enabled, about 20 px to Deny's right. The classes below allow for a theme's small shifts.
 */
import type { Rgb } from '../../sandbox/png.ts';
import type { Screen } from './screen.ts';

export type AllowButton = 'enabled' | 'disabled';

type Fill = 'default-button' | AllowButton | 'other';

function fill([r, g, b]: Rgb): Fill {
  if (b >= 150 && r <= 80 && g <= 130) return 'default-button';
  if (b >= 240 && r >= 180 && b - r >= 25) return 'enabled';
  if (r >= 200 && r <= 240 && Math.abs(r - g) <= 3 && Math.abs(g - b) <= 3) return 'disabled';
  return 'other';
}

/** A button's fill spans at least this many pixels of a row (both buttons measured 52 to 54 px wide). */
const BUTTON_RUN_PX = 40;
/** At most this much between the two buttons on a row (measured 16 to 18 px). */
const BUTTON_GAP_PX = 30;

/** Allow's state, if a row of the screen crosses Deny and then Allow; undefined when no prompt shows. */
export function allowButton(screen: Screen): AllowButton | undefined {
  for (let y = 0; y < screen.height; y++) {
    // The row's long runs of one fill, left to right.
    let denyEnd = -Infinity;
    let run: { fill: Fill; start: number } = { fill: 'other', start: 0 };
    for (let x = 0; x <= screen.width; x++) {
      const here = x < screen.width ? fill(screen.rgb(x, y)) : 'other';
      if (here === run.fill) continue;
      if (x - run.start >= BUTTON_RUN_PX) {
        if (run.fill === 'default-button') denyEnd = x;
        else if (run.fill !== 'other' && run.start - denyEnd <= BUTTON_GAP_PX) return run.fill;
      }
      run = { fill: here, start: x };
    }
  }
  return undefined;
}

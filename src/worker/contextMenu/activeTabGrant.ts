/**
 * Chromium's activeTab grant can reach the page after the script it allows. At a menu click the browser
 * grants the tab, tells the page's renderer in one message, then fires `menus.onClicked`
 * (https://source.chromium.org/chromium/chromium/src/+/main:chrome/browser/extensions/permissions/active_tab_permission_granter.cc).
 * `scripting.executeScript` reaches the page's frame in another message, and the renderer checks the
 * grant itself, refusing with "Cannot access contents of the page"
 * (https://source.chromium.org/chromium/chromium/src/+/main:extensions/renderer/programmatic_script_injector.cc).
 * On a busy machine the script sometimes comes first and is refused although the grant is made: seen
 * in this repository's `blob:` right-click scenario (test/scenarios/scenarios.ts), where the same call
 * 10 ms later read the image. So that refusal alone is asked again, a few times within a third of a
 * second; any other answer is final.
 */

import { realClock, type Clock } from '../clock.ts';

/** Chromium's `kCannotAccessPage`: the refusal a grant still on its way gives. */
const NOT_YET_GRANTED = 'Cannot access contents of the page';

/** Pauses before each new attempt: 310 ms in all, past the 51 ms the slowest grant took here. */
const PAUSES_MS = [10, 20, 40, 80, 160];

/** Runs `inject` (an executeScript the menu click allows), again while its refusal may only be early. */
export async function injectAfterGrant<T>(inject: () => Promise<T>, wait: Clock['sleep'] = realClock.sleep): Promise<T> {
  for (const ms of PAUSES_MS) {
    try {
      return await inject();
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith(NOT_YET_GRANTED))) throw error;
      await wait(ms);
    }
  }
  return inject();
}

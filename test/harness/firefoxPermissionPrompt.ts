/**
 * Firefox's prompt for an extension's `permissions.request` ("Glean Images requests additional
 * permissions", buttons Allow and Deny): a doorhanger of the browser window, PopupNotifications'
 * "addon-webext-permissions" (`showPermissionsPrompt` in
 * https://searchfox.org/mozilla-central/source/browser/modules/ExtensionsUI.sys.mjs). No page draws it,
 * so it is seen and pressed in the browser window's own document (./firefoxChrome.ts), headless or
 * headed: its panel open over the tab the request came from, then its button with the answer's label.
 *
 * Allow, the main button, resolves the request true; Deny, the secondary one, false (as do Escape and
 * any other dismissal: the prompt is `removeOnDismissal`, and its removal resolves false).
 * PopupNotifications ignores a press while its window is not the active one, or earlier than
 * `security.notification_enable_delay` after it showed (puppeteer-core's Firefox profile sets that to
 * 0): `_onButtonEvent` in https://searchfox.org/mozilla-central/source/toolkit/modules/PopupNotifications.sys.mjs.
 * So a press counts only once the prompt is gone.
 */
import type { Browser } from 'puppeteer-core';
import { eventually } from './eventually.ts';
import { inBrowserWindows } from './firefoxChrome.ts';

export type PromptAnswer = 'allow' | 'deny';

/** What a window saw: no prompt over `url`, a press that left the prompt up, or a press that answered it. */
type Press = 'no prompt' | 'ignored' | 'answered';

/**
 * Runs in a browser window (see `inBrowserWindows`): presses the button labelled `label` on the
 * permission prompt, if the panel shows one over the selected tab, and that tab is at `url`.
 */
function pressPromptButton(label: string, url: string): Press {
  const chrome = globalThis as unknown as {
    PopupNotifications: { panel: { state: string; children: ArrayLike<PromptElement> }; getNotification(id: string, browser: unknown): unknown };
    gBrowser: { selectedBrowser: { currentURI: { spec: string } } };
  };
  interface PromptElement {
    getAttribute(name: string): string | null;
    button: { label: string; click(): void };
    secondaryButton: { label: string; click(): void };
  }
  const { panel } = chrome.PopupNotifications;
  const selected = chrome.gBrowser.selectedBrowser;
  const prompt = Array.from(panel.children).find((element) => element.getAttribute('popupid') === 'addon-webext-permissions');
  if (panel.state !== 'open' || !prompt || selected.currentURI.spec !== url) return 'no prompt';
  const button = [prompt.button, prompt.secondaryButton].find((candidate) => candidate.label === label);
  if (!button) throw new Error(`the permission prompt has no "${label}" button: ${prompt.button.label}, ${prompt.secondaryButton.label}`);
  button.click();
  return chrome.PopupNotifications.getNotification('addon-webext-permissions', selected) ? 'ignored' : 'answered';
}

/** Waits for the permission prompt over the tab at `url`, then presses Allow or Deny. */
export async function answerPermissionPrompt(browser: Browser, url: string, answer: PromptAnswer, timeoutMs: number): Promise<void> {
  const label = answer === 'allow' ? 'Allow' : 'Deny';
  await eventually(
    `Firefox's permission prompt over ${url}`,
    async () => {
      const presses = await inBrowserWindows(browser, pressPromptButton, label, url);
      if (presses.includes('ignored')) throw new Error(`Firefox ignored "${label}" on its permission prompt: its window was not the active one`);
      return presses.includes('answered') ? true : undefined;
    },
    timeoutMs,
  );
}

/** The sign-in window (`identity.launchWebAuthFlow`), met as a person meets it: a page to answer. */
import type { BrowserContext, Page } from 'playwright-core';
import type { Extension } from './chromium.ts';
import { connectionForm } from './options.ts';

export type Answer = 'Allow' | 'Deny' | 'close';

/** Glean's sign-in page (/oauth/authorize) or an identity provider's (/authorize). */
export const isSignInAddress = (url: string): boolean => URL.canParse(url) && new URL(url).pathname.endsWith('/authorize');

/** Waits for the sandbox's sign-in page to open in a window of its own in `context`, and answers it. */
export async function answerSignIn(context: BrowserContext, answer: Answer): Promise<void> {
  const isSignInPage = (page: Page): boolean => isSignInAddress(page.url());
  const window = context.pages().find(isSignInPage) ?? (await context.waitForEvent('page', { predicate: isSignInPage, timeout: 15_000 }));
  await window.waitForLoadState();
  if (answer === 'close') await window.close();
  else await window.getByRole('button', { name: answer }).click();
}

/** Presses "Sign in with Glean" on the Options page and answers the window; waits for the page to say how it went. */
export async function signInFromOptions(extension: Extension, options: Page, answer: Answer = 'Allow'): Promise<void> {
  const answered = answerSignIn(extension.context, answer);
  await connectionForm(options).getByRole('button', { name: 'Sign in with Glean' }).click();
  await answered;
  const outcome = answer === 'Allow' ? options.getByText(/^Signed in to /) : connectionForm(options).getByRole('alert').filter({ hasText: /\S/ });
  await outcome.waitFor({ timeout: 15_000 });
}

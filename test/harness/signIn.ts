/** The sign-in window (`identity.launchWebAuthFlow`), met as a person meets it: a page to answer. */
import type { Page } from 'playwright-core';
import type { Extension } from './chromium.ts';
import { connectionForm } from './options.ts';

export type Answer = 'Allow' | 'Deny' | 'close';

/** Waits for the sandbox's sign-in page to open in a window of its own, and answers it. */
export async function answerSignIn(extension: Extension, answer: Answer): Promise<void> {
  const isSignInPage = (page: Page): boolean => page.url().includes('/oauth/authorize');
  const window = extension.context.pages().find(isSignInPage) ?? (await extension.context.waitForEvent('page', { predicate: isSignInPage, timeout: 15_000 }));
  await window.waitForLoadState();
  if (answer === 'close') await window.close();
  else await window.getByRole('button', { name: answer }).click();
}

/** Presses "Sign in with Glean" on the Options page and answers the window; waits for the page to say how it went. */
export async function signInFromOptions(extension: Extension, options: Page, answer: Answer = 'Allow'): Promise<void> {
  const answered = answerSignIn(extension, answer);
  await connectionForm(options).getByRole('button', { name: 'Sign in with Glean' }).click();
  await answered;
  const outcome = answer === 'Allow' ? options.getByText(/^Signed in to /) : connectionForm(options).getByRole('alert').filter({ hasText: /\S/ });
  await outcome.waitFor({ timeout: 15_000 });
}

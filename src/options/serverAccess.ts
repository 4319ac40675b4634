/**
 * Host permission for a Glean server outside *.glean.com (the only host the manifest requires).
 * Called synchronously from the Save click: `permissions.request` needs the user gesture.
 */
import browser from 'webextension-polyfill';
import { instanceHostPattern, isGleanHosted, parseInstance } from '../glean/instance.ts';

export type Access = 'not-needed' | 'granted' | 'refused';

export function requestServerAccess(instance: string): Promise<Access> {
  const parsed = parseInstance(instance.trim());
  // A bad instance is reported by the worker's validation; nothing to ask for yet.
  if (!parsed.ok || isGleanHosted(parsed.baseUrl)) return Promise.resolve('not-needed');
  return browser.permissions
    .request({ origins: [instanceHostPattern(parsed.baseUrl)] })
    .then((granted) => (granted ? 'granted' : 'refused'));
}

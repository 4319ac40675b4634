/**
 * webextension-polyfill's `browser`, for every module of the worker and the pages to import from here. The
 * polyfill is CommonJS: esbuild wraps its export again in each module that imports it, and every use
 * then reads `.default` through that wrapper; imported once here, it is wrapped once.
 */
import browser from 'webextension-polyfill';

export { browser };

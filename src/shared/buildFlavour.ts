/**
 * Which build this code runs in. scripts/build.ts replaces GLEAN_IMAGES_DEV_BUILD with `true` in the
 * dev builds (dist/chrome-dev, dist/firefox-dev) and `false` in the store builds, through esbuild's
 * `define`. The sources run unbundled (the unit tests, under tsx) have no such constant: there this
 * counts as a store build, the stricter of the two, and a test that wants the dev behaviour asks for
 * it explicitly (see parseInstance's options).
 */
declare const GLEAN_IMAGES_DEV_BUILD: boolean | undefined;

export const IS_DEV_BUILD: boolean = typeof GLEAN_IMAGES_DEV_BUILD === 'boolean' && GLEAN_IMAGES_DEV_BUILD;

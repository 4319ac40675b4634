/**
 * `npm run build`: bundles src/ once per flavour (store, dev) and writes the four extension folders
 * of scripts/targets.ts. Per-browser differences live only in the generated manifest.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { minify } from 'terser';
import { TARGETS, manifestFor } from './targets.ts';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

const ENTRY_POINTS = {
  worker: 'src/worker/index.ts',
  popup: 'src/popup/index.tsx',
  // The popup's preview worker (src/popup/previews.ts starts it by this name).
  previewMaker: 'src/popup/previewMaker.ts',
  options: 'src/options/index.tsx',
  image: 'src/viewer/index.ts',
};

/**
 * webextension-polyfill ships one UMD file. Taken as CommonJS, esbuild wraps it in interop helpers that,
 * with splitting, go to a chunk of their own (0.36 KB gzip and one more request for every page). Its UMD
 * header fills `module.exports` when `exports` is defined, so it is read here as the ES module it can be.
 */
const polyfillAsModule: Plugin = {
  name: 'polyfill-as-module',
  setup(build) {
    build.onLoad({ filter: /[\\/]webextension-polyfill[\\/]dist[\\/]browser-polyfill\.js$/ }, async ({ path }) => ({
      contents: `const module = { exports: {} }, exports = module.exports;\n${await readFile(path, 'utf8')}\nexport default module.exports;`,
      loader: 'js',
    }));
  },
};

async function bundle(outdir: string, dev: boolean): Promise<Metafile> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir,
    bundle: true,
    // ES modules with shared chunks: the popup, options page and worker share preact, the polyfill
    // and our own modules instead of each carrying a copy.
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: ['chrome120', 'firefox128'],
    minify: !dev,
    sourcemap: dev ? 'linked' : false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    // Read by src/shared/buildFlavour.ts, and only there.
    define: { GLEAN_IMAGES_DEV_BUILD: String(dev) },
    plugins: [polyfillAsModule],
    // Kept in memory and written below: a store build's scripts are written once, already through terser.
    write: false,
  });
  await Promise.all(
    result.outputFiles.map(async ({ path, contents, text }) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, dev || !path.endsWith('.js') ? contents : await compressFurther(text, path));
    }),
  );
  return result.metafile;
}

/**
 * A store build's script once more through terser, after esbuild: its repeated compress passes (inlining,
 * dead branches, joined declarations) take a further 2.1 KB gzip (4 %) off what esbuild's single pass
 * leaves, most of it from the worker. Only its safe transforms: no `unsafe*` option, function arguments
 * and names of exports kept, so `scripting.executeScript`'s serialised function (src/worker/contextMenu/readInPage.ts)
 * and the chunks' imports of each other are what they were.
 */
async function compressFurther(code: string, path: string): Promise<string> {
  const { code: compressed } = await minify(code, { module: true, ecma: 2020, compress: { passes: 3 }, format: { comments: false } });
  if (compressed === undefined) throw new Error(`terser returned nothing for ${path}`);
  return compressed;
}

/**
 * `<link rel="modulepreload">` for every chunk a page's script imports, however deep: without it the
 * browser learns of the chunks only after fetching and parsing the page's own script, a second round
 * trip the bench measured at ~20 ms of a ~120 ms popup start.
 */
function preloadTags(metafile: Metafile, outdir: string, page: string): string {
  const seen = new Set<string>();
  const visit = (output: string): void => {
    for (const { path, kind } of metafile.outputs[output]?.imports ?? []) {
      if (kind !== 'import-statement' || seen.has(path)) continue;
      seen.add(path);
      visit(path);
    }
  };
  visit(`${outdir}/${page}.js`);
  return [...seen].map((path) => `<link rel="modulepreload" href="${path.slice(outdir.length + 1)}" />`).join('\n    ');
}

/** The popup's first render as HTML (scripts/prerender.ts), in its own process: it fakes a browser's globals. */
async function prerenderPopup(): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'prerender.ts')], { cwd: root });
  if (!stdout.startsWith('<main')) throw new Error(`prerendering the popup printed no markup: ${stdout.slice(0, 200)}`);
  return stdout;
}

async function writePages(metafile: Metafile, staging: string, out: string, popupMarkup: string): Promise<void> {
  for (const page of ['popup', 'options', 'image']) {
    const html = await readFile(join(root, 'public', `${page}.html`), 'utf8');
    const stagingDir = staging.slice(root.length).replace(/^\//, '');
    await writeFile(
      join(out, `${page}.html`),
      html.replace('<!-- modulepreload -->', preloadTags(metafile, stagingDir, page)).replace('<div id="app"></div>', `<div id="app">${page === 'popup' ? popupMarkup : ''}</div>`),
    );
  }
}

export async function buildAll(): Promise<Record<string, Metafile>> {
  const sourceManifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  await rm(dist, { recursive: true, force: true });
  const popupMarkup = await prerenderPopup();
  const metafiles: Record<string, Metafile> = {};
  for (const dev of [false, true]) {
    const staging = join(dist, dev ? '.bundle-dev' : '.bundle');
    const metafile = await bundle(staging, dev);
    metafiles[dev ? 'dev' : 'store'] = metafile;
    for (const target of TARGETS.filter((t) => t.dev === dev)) {
      const out = join(dist, target.name);
      await mkdir(out, { recursive: true });
      await cp(join(root, 'public'), out, { recursive: true, filter: (src) => !src.endsWith('.svg') });
      await cp(staging, out, { recursive: true });
      await writePages(metafile, staging, out, popupMarkup);
      const manifest = manifestFor(sourceManifest, target, version);
      await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    }
    await rm(staging, { recursive: true, force: true });
  }
  await writeFile(join(dist, 'metafile.json'), JSON.stringify(metafiles.store));
  return metafiles;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await buildAll();
  console.log(`built ${TARGETS.map((t) => `dist/${t.name}`).join(', ')} in ${Date.now() - started} ms`);
}

/**
 * `tsx scripts/render-icons.ts`: regenerates public/icons/icon-<size>.png from the SVG sources.
 * The PNGs are committed (the build only copies them), so run this only after editing an SVG.
 *
 * Chromium rasterises each SVG at its final pixel size rather than one big render being scaled
 * down, so the small sizes stay as crisp as their pixel-grid drawing allows. Needs Debian's
 * /usr/bin/chromium; playwright-core never downloads a browser of its own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const icons = new URL('../public/icons/', import.meta.url).pathname;

/** Each size and its source: the detailed icon needs room, below 48 px a simpler grid-aligned one. */
const SIZES: ReadonlyArray<{ size: number; svg: string }> = [
  { size: 16, svg: 'icon-small.svg' },
  { size: 32, svg: 'icon-small.svg' },
  { size: 48, svg: 'icon.svg' },
  { size: 128, svg: 'icon.svg' },
];

function pageFor(svg: string, size: number): string {
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  return `<!doctype html><html><body style="margin:0;background:transparent">
<img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`;
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    for (const { size, svg } of SIZES) {
      // deviceScaleFactor 1: one CSS pixel is one PNG pixel, whatever the host display says.
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      await page.setContent(pageFor(readFileSync(join(icons, svg), 'utf8'), size), { waitUntil: 'load' });
      const png = await page.screenshot({
        clip: { x: 0, y: 0, width: size, height: size },
        omitBackground: true, // transparent corners around the rounded tile
      });
      writeFileSync(join(icons, `icon-${size}.png`), png);
      console.log(`public/icons/icon-${size}.png  (${svg}, ${png.length} bytes)`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

await main();

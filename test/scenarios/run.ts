/**
 * Turns the scenario list into node:test tests for one browser. A scenario that needs something the
 * browser cannot do shows as skipped, with the reason (node:test's `{ skip: reason }`), so the
 * report lists it rather than losing it; docs/TESTING.md lists it too.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import { startIdentityProvider, startSandbox, type IdentityProvider, type Sandbox } from '../../sandbox/server.ts';
import type { HttpsFront } from '../harness/httpsFront.ts';
import { startImageSite, type ImageSite } from '../harness/imageSite.ts';
import { IMAGE_SITE_DOMAIN, OUTSIDE_GLEAN_URL, STORE_GLEAN_URL, STORE_INSTANCE, startStoreFronts, type StoreFronts } from '../harness/storeNames.ts';
import type { BrowserDriver, Capability, ScenarioBrowser } from './driver.ts';

/** One scenario, from its extension's install to its uninstall, must end well inside the file's minute. */
const SCENARIO_TIMEOUT_MS = 45_000;

/**
 * A browser start, outside any scenario's time: one browser of each kind serves several scenarios, and
 * its start took 3 to 4 s on an idle machine but 17 to 51 s (Firefox ESR) on a 2-core one running four
 * other sessions' browsers, which left the first scenario of each kind too little of its own 45 s.
 */
const BROWSER_START_TIMEOUT_MS = 120_000;

/** The sandbox as the build under test reaches it. */
export interface GleanServer {
  /** What a person types as "Glean instance". */
  instance: string;
  /** Where the extension sends requests: the instance's base URL. */
  url: string;
  host: string;
}

/** The image site as the build under test reaches it. */
export interface ScenarioSite {
  /** The page with images to right-click, under a name of its own: a store build has no access to it yet. */
  pageUrl(name: string): string;
  images: ImageSite['images'];
  /** Every request the site answered. */
  requests: ImageSite['requests'];
  /** Whether the first read from a new site asks the person (the store build) or not (the dev build reaches loopback). */
  asksAccess: boolean;
}

export interface ScenarioContext {
  browser: ScenarioBrowser;
  /** Shared by the file's scenarios, online and without faults when each begins; mark its log with requestsFrom. */
  sandbox: Sandbox;
  /** A company's identity provider, shared by the file's scenarios; the sandbox trusts its access tokens. */
  identityProvider: IdentityProvider;
  glean: GleanServer;
  /** The sandbox again, as a server outside `*.glean.com` (store builds only). */
  outsideGleanUrl: string;
  /** Shared by the file's scenarios. */
  site: ScenarioSite;
  /** The enterprise policy the scenario's copy of the extension was installed under, if it has one. */
  policy: Readonly<Record<string, unknown>> | undefined;
}

/** What a scenario's policy is made from, before its browser has an extension. */
export type PolicyContext = Pick<ScenarioContext, 'sandbox' | 'identityProvider' | 'glean'> & { browserName: ScenarioBrowser['name'] };

export interface Scenario {
  name: string;
  /** What beyond the basics it needs; see `Capability`. */
  needs?: readonly Capability[];
  /** An enterprise policy for its copy of the extension, set as an administrator does before it is installed. */
  policy?: (context: PolicyContext) => Readonly<Record<string, unknown>>;
  /**
   * A Chromium test file that runs this check in full (the whole fault table where the scenario has
   * representative rows): the scenario is Firefox's copy of it, and Chromium's run names that file.
   */
  inFullForChromium?: string;
  run(context: ScenarioContext): Promise<void>;
}

/** The scenarios `driver` runs, and for the others, why not: what it lacks, or where it runs in full. */
export function plan(driver: BrowserDriver, scenarios: readonly Scenario[]): { runs: Scenario[]; skips: { scenario: Scenario; reason: string }[] } {
  const runs: Scenario[] = [];
  const skips: { scenario: Scenario; reason: string }[] = [];
  for (const scenario of scenarios) {
    const lacks = (scenario.needs ?? []).flatMap((need) => {
      const reason = driver.cannot[need];
      return reason === undefined ? [] : [`${need}: ${reason}`];
    });
    if (lacks.length > 0) skips.push({ scenario, reason: `${driver.name} cannot run it: ${lacks.join('; ')}` });
    else if (driver.name === 'Chromium' && scenario.inFullForChromium) skips.push({ scenario, reason: `Chromium runs it in full in ${scenario.inFullForChromium}` });
    else runs.push(scenario);
  }
  return { runs, skips };
}

export function runScenarios(driver: BrowserDriver, scenarios: readonly Scenario[]): void {
  const { runs, skips } = plan(driver, scenarios);

  describe(`scenarios in ${driver.name} (${driver.build} build)`, () => {
    let sandbox: Sandbox;
    let identityProvider: IdentityProvider;
    let imageSite: ImageSite;
    let names: StoreFronts | undefined;
    let glean: GleanServer;
    let site: ScenarioSite;
    let fronts: readonly HttpsFront[] = [];
    before(async () => {
      [sandbox, identityProvider, imageSite] = await Promise.all([startSandbox({ port: 0 }), startIdentityProvider(), startImageSite()]);
      sandbox.trust(identityProvider);
      if (driver.build === 'store') {
        names = await startStoreFronts({ sandboxPort: sandbox.port, sitePort: Number(new URL(imageSite.pageUrl).port) });
        fronts = names.fronts;
        glean = { instance: STORE_INSTANCE, url: STORE_GLEAN_URL, host: new URL(STORE_GLEAN_URL).host };
        site = { pageUrl: (name) => `https://${name}.${IMAGE_SITE_DOMAIN}/page.html`, images: imageSite.images, requests: imageSite.requests, asksAccess: true };
      } else {
        glean = { instance: sandbox.url, url: sandbox.url, host: new URL(sandbox.url).host };
        site = { pageUrl: () => imageSite.pageUrl, images: imageSite.images, requests: imageSite.requests, asksAccess: false };
      }
    });
    after(async () => {
      await driver.dispose();
      await Promise.all([sandbox?.close(), identityProvider?.close(), imageSite?.close(), names?.close()]);
    });

    // Hooks run only for the tests that run (not for those skipped or filtered out by name), and a
    // hook's timeout is its own: the test's applies to its function alone. (The duration node:test
    // reports for a test includes its hooks: the first scenario of a kind shows its browser's start.)
    const byName = new Map(runs.map((scenario) => [scenario.name, scenario]));
    beforeEach(
      async (context) => {
        const scenario = byName.get(context.name);
        if (scenario) await driver.start({ needs: scenario.needs ?? [], fronts });
      },
      { timeout: BROWSER_START_TIMEOUT_MS },
    );

    for (const scenario of runs) {
      // Each scenario has an extension of its own (its own id, storage and permissions): what one
      // leaves behind (settings, jobs, cache, a suspended background, withheld access) cannot change the next.
      test(scenario.name, { timeout: SCENARIO_TIMEOUT_MS }, async (t) => {
        await sandbox.goOnline();
        sandbox.clearFaults();
        const policy = scenario.policy?.({ sandbox, identityProvider, glean, browserName: driver.name });
        const browser = await driver.launch({ needs: scenario.needs ?? [], fronts, policy });
        try {
          await scenario.run({ browser, sandbox, identityProvider, glean, outsideGleanUrl: OUTSIDE_GLEAN_URL, site, policy });
        } catch (error) {
          // What the extension said is often the first clue to a failure seen once (the report keeps it).
          // node:test's reporter keeps a diagnostic on one line, so each line of the console is one.
          for (const line of browser.consoleLines?.() ?? []) t.diagnostic(`the extension's console: ${line}`);
          throw error;
        } finally {
          await browser.close();
        }
      });
    }

    for (const { scenario, reason } of skips) {
      test(scenario.name, { skip: reason }, () => undefined);
    }
  });
}

/**
 * The shared scenarios (test/scenarios/scenarios.ts) in Debian Chromium, through Playwright, with the dev
 * build (dist/chrome-dev), but for those only the store build proves (`PROVED_BY_STORE_BUILD`), which
 * ./scenarios.chromium.store.test.ts runs against dist/chrome.
 */
import { chromiumDriver } from '../scenarios/chromium.ts';
import { provedByStoreBuild } from '../scenarios/driver.ts';
import { runScenarios } from '../scenarios/run.ts';
import { SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(
  chromiumDriver('dev'),
  SCENARIOS.filter((scenario) => !provedByStoreBuild(scenario.needs)),
);

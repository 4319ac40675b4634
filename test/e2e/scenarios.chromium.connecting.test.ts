/**
 * The shared scenarios (test/scenarios/scenarios.ts) about connecting (Options, signing in, token
 * custody, bad input) in Debian Chromium, through Playwright, with the dev build (dist/chrome-dev), but for those only
 * the store build proves (`PROVED_BY_STORE_BUILD`, in ./scenarios.chromium.store.test.ts). The others run
 * in ./scenarios.chromium.test.ts.
 */
import { chromiumDriver } from '../scenarios/chromium.ts';
import { provedByStoreBuild } from '../scenarios/driver.ts';
import { runScenarios } from '../scenarios/run.ts';
import { isAboutConnecting, SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(
  chromiumDriver('dev'),
  SCENARIOS.filter((scenario) => !provedByStoreBuild(scenario.needs) && isAboutConnecting(scenario)),
  'connecting',
);

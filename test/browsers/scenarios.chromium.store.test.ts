/**
 * The shared scenarios (test/scenarios/scenarios.ts) that only the store build proves (`PROVED_BY_STORE_BUILD`),
 * in Debian Chromium with dist/chrome: no loopback permission, Glean as https://acme-be.glean.com and the
 * image sites under names of their own behind HTTPS fronts, and the browser's real permission prompt
 * answered by keys, both ways. One headed browser on Xvfb serves them all.
 */
import { chromiumDriver } from '../scenarios/chromium.ts';
import { provedByStoreBuild } from '../scenarios/driver.ts';
import { runScenarios } from '../scenarios/run.ts';
import { SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(
  chromiumDriver('store', { alwaysHeaded: true }),
  SCENARIOS.filter((scenario) => provedByStoreBuild(scenario.needs)),
);

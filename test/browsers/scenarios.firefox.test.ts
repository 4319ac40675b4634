/**
 * The shared scenarios (test/scenarios/scenarios.ts) in Debian's Firefox ESR, through puppeteer-core over
 * WebDriver BiDi, with the dev build (dist/firefox-dev), but for those only the store build proves
 * (`PROVED_BY_STORE_BUILD`), which ./scenarios.firefox.store.test.ts runs against dist/firefox.
 */
import { firefoxDriver } from '../scenarios/firefox.ts';
import { provedByStoreBuild } from '../scenarios/driver.ts';
import { runScenarios } from '../scenarios/run.ts';
import { SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(
  firefoxDriver('dev'),
  SCENARIOS.filter((scenario) => !provedByStoreBuild(scenario.needs)),
);

/**
 * The shared scenarios (test/scenarios/scenarios.ts) about connecting (Options, signing in, token
 * custody, bad input) in Debian's Firefox ESR, through puppeteer-core over
 * WebDriver BiDi, with the dev build (dist/firefox-dev), but for those only
 * the store build proves (`PROVED_BY_STORE_BUILD`, in ./scenarios.firefox.store.test.ts). The others run
 * in ./scenarios.firefox.test.ts.
 */
import { firefoxDriver } from '../scenarios/firefox.ts';
import { provedByStoreBuild } from '../scenarios/driver.ts';
import { runScenarios } from '../scenarios/run.ts';
import { isAboutConnecting, SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(
  firefoxDriver('dev'),
  SCENARIOS.filter((scenario) => !provedByStoreBuild(scenario.needs) && isAboutConnecting(scenario)),
  'connecting',
);

/**
 * The shared scenarios (test/scenarios/scenarios.ts) about using images (the popup, uploads, faults,
 * capture, right-click) in Debian's Firefox ESR, through puppeteer-core over
 * WebDriver BiDi, with the dev build (dist/firefox-dev), but for those only
 * the store build proves (`PROVED_BY_STORE_BUILD`, in ./scenarios.firefox.store.test.ts). Those about
 * connecting run in ./scenarios.firefox.connecting.test.ts, side by side with this file.
 */
import { firefoxDriver } from '../scenarios/firefox.ts';
import { provedByStoreBuild } from '../scenarios/driver.ts';
import { runScenarios } from '../scenarios/run.ts';
import { isAboutConnecting, SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(
  firefoxDriver('dev'),
  SCENARIOS.filter((scenario) => !provedByStoreBuild(scenario.needs) && !isAboutConnecting(scenario)),
  'using images',
);

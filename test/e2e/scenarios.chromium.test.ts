/** The shared scenarios (test/scenarios/scenarios.ts) in Debian Chromium, through Playwright, with the dev build (dist/chrome-dev): the store-build runs (`chromiumDriver('store')`) are not yet stable on a busy machine. */
import { chromiumDriver } from '../scenarios/chromium.ts';
import { runScenarios } from '../scenarios/run.ts';
import { SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(chromiumDriver('dev'), SCENARIOS);

/** The shared scenarios (test/scenarios/scenarios.ts) in headless Debian Chromium, through Playwright. */
import { chromiumDriver } from '../scenarios/chromium.ts';
import { runScenarios } from '../scenarios/run.ts';
import { SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(chromiumDriver, SCENARIOS);

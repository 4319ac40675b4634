/** The shared scenarios (test/scenarios/scenarios.ts) in Debian Chromium, through Playwright, with the store build (dist/chrome). */
import { chromiumDriver } from '../scenarios/chromium.ts';
import { runScenarios } from '../scenarios/run.ts';
import { SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(chromiumDriver('store'), SCENARIOS);

/** The shared scenarios (test/scenarios/scenarios.ts) in Debian's Firefox ESR, through puppeteer-core over WebDriver BiDi. */
import { firefoxDriver } from '../scenarios/firefox.ts';
import { runScenarios } from '../scenarios/run.ts';
import { SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(firefoxDriver('dev'), SCENARIOS);

/**
 * The shared scenarios (test/scenarios/scenarios.ts) that only the store build proves (`PROVED_BY_STORE_BUILD`),
 * in Debian's Firefox ESR with dist/firefox: no loopback permission, Glean as https://acme-be.glean.com and
 * the image sites under names of their own, reached through a CONNECT proxy to HTTPS fronts. Firefox's
 * real permission prompt is answered Allow or Deny on the prompt (test/harness/firefoxPermissionPrompt.ts).
 * One headed browser on Xvfb serves them all.
 */
import { firefoxDriver } from '../scenarios/firefox.ts';
import { provedByStoreBuild } from '../scenarios/driver.ts';
import { runScenarios } from '../scenarios/run.ts';
import { SCENARIOS } from '../scenarios/scenarios.ts';

runScenarios(
  firefoxDriver('store', { alwaysHeaded: true }),
  SCENARIOS.filter((scenario) => provedByStoreBuild(scenario.needs)),
);

/**
 * Turns the scenario list into node:test tests for one browser. A scenario that needs something the
 * browser cannot do shows as skipped, with the reason (node:test's `{ skip: reason }`), so the
 * report lists it rather than losing it; the README's Firefox section lists it too.
 */
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import type { BrowserDriver, Capability, ScenarioBrowser } from './driver.ts';

/** One scenario, browser included, must end well inside the file's minute. */
const SCENARIO_TIMEOUT_MS = 45_000;

export interface ScenarioContext {
  browser: ScenarioBrowser;
  /** Shared by the file's scenarios, online and without faults when each begins; mark its log with requestsFrom. */
  sandbox: Sandbox;
}

export interface Scenario {
  name: string;
  /** What beyond the basics it needs; see `Capability`. */
  needs?: readonly Capability[];
  run(context: ScenarioContext): Promise<void>;
}

/** The scenarios `driver` can run, and for the others, what it lacks and why. */
export function plan(driver: BrowserDriver, scenarios: readonly Scenario[]): { runs: Scenario[]; cannot: { scenario: Scenario; reasons: string[] }[] } {
  const runs: Scenario[] = [];
  const cannot: { scenario: Scenario; reasons: string[] }[] = [];
  for (const scenario of scenarios) {
    const reasons = (scenario.needs ?? []).flatMap((need) => {
      const reason = driver.cannot[need];
      return reason === undefined ? [] : [`${need}: ${reason}`];
    });
    if (reasons.length === 0) runs.push(scenario);
    else cannot.push({ scenario, reasons });
  }
  return { runs, cannot };
}

export function runScenarios(driver: BrowserDriver, scenarios: readonly Scenario[]): void {
  const { runs, cannot } = plan(driver, scenarios);

  describe(`scenarios in ${driver.name}`, () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox({ port: 0 });
    });
    after(async () => {
      await driver.dispose();
      await sandbox?.close();
    });

    for (const scenario of runs) {
      // Each scenario has an extension of its own (its own id, storage and permissions): what one
      // leaves behind (settings, jobs, cache, a suspended background, withheld access) cannot change the next.
      test(scenario.name, { timeout: SCENARIO_TIMEOUT_MS }, async () => {
        await sandbox.goOnline();
        sandbox.clearFaults();
        const browser = await driver.launch({ needs: scenario.needs ?? [] });
        try {
          await scenario.run({ browser, sandbox });
        } finally {
          await browser.close();
        }
      });
    }

    for (const { scenario, reasons } of cannot) {
      test(scenario.name, { skip: `${driver.name} cannot run it: ${reasons.join('; ')}` }, () => undefined);
    }
  });
}

/** An executeScript refused only because Chromium's activeTab grant has not reached the page yet. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { injectAfterGrant } from '../../../src/worker/contextMenu/activeTabGrant.ts';

/** Chromium's words when the renderer does not know of the grant (yet). */
const refusal = (): Error => new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.');

/** An injection that is refused `times` times, then answers; and what it saw. */
function injection(times: number, refuse: () => Error = refusal) {
  const seen = { calls: 0, waited: [] as number[] };
  const inject = async (): Promise<string> => {
    seen.calls += 1;
    if (seen.calls <= times) throw refuse();
    return 'read';
  };
  const wait = async (ms: number): Promise<void> => {
    seen.waited.push(ms);
  };
  return { inject, wait, seen };
}

describe('injectAfterGrant', () => {
  test('a grant that arrives late: the refusal is asked again after a pause, and the answer used', async () => {
    const { inject, wait, seen } = injection(2);
    assert.equal(await injectAfterGrant(inject, wait), 'read');
    assert.equal(seen.calls, 3);
    assert.deepEqual(seen.waited, [10, 20]);
  });

  test('an answer the first time waits for nothing', async () => {
    const { inject, wait, seen } = injection(0);
    assert.equal(await injectAfterGrant(inject, wait), 'read');
    assert.deepEqual(seen, { calls: 1, waited: [] });
  });

  test('a refusal that lasts is given up within a third of a second', async () => {
    const { inject, wait, seen } = injection(Infinity);
    await assert.rejects(injectAfterGrant(inject, wait), /Cannot access contents of the page/);
    assert.equal(seen.calls, 6);
    assert.ok(seen.waited.reduce((sum, ms) => sum + ms, 0) <= 333);
  });

  test('any other failure is final: a frame gone, or Firefox’s words', async () => {
    for (const message of ['No frame with id 3 in tab 7.', 'Missing host permission for the tab']) {
      const { inject, wait, seen } = injection(1, () => new Error(message));
      await assert.rejects(injectAfterGrant(inject, wait), { message });
      assert.deepEqual(seen, { calls: 1, waited: [] });
    }
  });
});

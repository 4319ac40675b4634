import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GleanError } from '../../../src/glean/gleanError.ts';
import { createRequestPool } from '../../../src/glean/sharedRequests.ts';
import { deferred, settle, type Deferred } from './fakes.ts';

/** A request starter whose requests finish only when the test says so. */
function controllable() {
  const started: Array<{ name: string; signal: AbortSignal; answer: Deferred<string> }> = [];
  const start = (name: string) => (signal: AbortSignal) => {
    const answer = deferred<string>();
    started.push({ name, signal, answer });
    return answer.promise;
  };
  return { started, start };
}

const isAborted = (e: unknown): boolean => e instanceof GleanError && e.code === 'aborted';

describe('RequestPool: identical requests share one', () => {
  it('50 identical calls make one request and all get its answer', async () => {
    const pool = createRequestPool();
    let fetches = 0;
    const answer = deferred<string>();
    const calls = Array.from({ length: 50 }, () =>
      pool.run('GET k', () => {
        fetches++;
        return answer.promise;
      }),
    );
    await settle();
    answer.resolve('image');
    assert.deepEqual(await Promise.all(calls), Array(50).fill('image'));
    assert.equal(fetches, 1);
  });

  it('shares a failure too', async () => {
    const pool = createRequestPool();
    const failure = new GleanError('server-error', 'x', { status: 503 });
    const answer = deferred<string>();
    const a = pool.run('k', () => answer.promise);
    const b = pool.run('k', () => answer.promise);
    answer.reject(failure);
    await assert.rejects(a, (e) => e === failure);
    await assert.rejects(b, (e) => e === failure);
  });

  it('different keys are different requests', async () => {
    const pool = createRequestPool();
    const { started, start } = controllable();
    void pool.run('a', start('a'));
    void pool.run('b', start('b'));
    await settle();
    assert.deepEqual(started.map((s) => s.name), ['a', 'b']);
  });

  it('a finished request is not reused', async () => {
    const pool = createRequestPool();
    let fetches = 0;
    const fetchOnce = async (): Promise<number> => ++fetches;
    assert.equal(await pool.run('k', fetchOnce), 1);
    assert.equal(await pool.run('k', fetchOnce), 2);
  });

  it('with reuseFor, a success answers identical calls that long after it came, a failure never', async () => {
    let now = 0;
    const pool = createRequestPool<number>(4, () => 1_000, () => now);
    let fetches = 0;
    const fetchOnce = async (): Promise<number> => ++fetches;
    assert.equal(await pool.run('k', fetchOnce), 1);
    now = 1_000;
    assert.equal(await pool.run('k', fetchOnce), 1);
    assert.equal(await pool.run('other', fetchOnce), 2);
    now = 1_001;
    assert.equal(await pool.run('k', fetchOnce), 3);
    pool.forgetAll();
    assert.equal(await pool.run('k', fetchOnce), 4);
    const failing = async (): Promise<number> => {
      fetches++;
      throw new GleanError('unreachable', 'offline');
    };
    await assert.rejects(pool.run('down', failing));
    await assert.rejects(pool.run('down', failing));
    assert.equal(fetches, 6);
  });

  it('after forgetAll, a request still in flight answers its callers but no later one, then or once it ends', async () => {
    const pool = createRequestPool<string>(4, () => 1_000, () => 0);
    let finishOld: (answer: string) => void = () => undefined;
    const oldAnswer = new Promise<string>((resolve) => (finishOld = resolve));
    const before = pool.run('k', () => oldAnswer);
    pool.forgetAll();
    const after = pool.run('k', async () => 'after');
    finishOld('before');
    assert.equal(await before, 'before');
    assert.equal(await after, 'after');
    assert.equal(await pool.run('k', async () => 'asked again'), 'after');
  });
});

describe('RequestPool: each caller may stop waiting', () => {
  it('one caller leaving does not cancel the request for the others', async () => {
    const pool = createRequestPool();
    const { started, start } = controllable();
    const leaving = new AbortController();
    const first = pool.run('k', start('k'), leaving.signal);
    const second = pool.run('k', start('k'), new AbortController().signal);
    await settle();
    leaving.abort();
    await assert.rejects(first, isAborted);
    assert.equal(started.length, 1);
    assert.equal(started[0]?.signal.aborted, false);
    started[0]?.answer.resolve('image');
    assert.equal(await second, 'image');
  });

  it('the request is aborted once every caller has left, and the next caller starts afresh', async () => {
    const pool = createRequestPool();
    const { started, start } = controllable();
    const a = new AbortController();
    const b = new AbortController();
    const first = pool.run('k', start('k'), a.signal);
    const second = pool.run('k', start('k'), b.signal);
    await settle();
    a.abort();
    assert.equal(started[0]?.signal.aborted, false);
    b.abort();
    assert.equal(started[0]?.signal.aborted, true);
    await assert.rejects(first, isAborted);
    await assert.rejects(second, isAborted);

    const third = pool.run('k', start('k'));
    await settle();
    assert.equal(started.length, 2);
    started[1]?.answer.resolve('fresh');
    assert.equal(await third, 'fresh');
  });

  it('a caller without a signal keeps the request alive', async () => {
    const pool = createRequestPool();
    const { started, start } = controllable();
    const leaving = new AbortController();
    void pool.run('k', start('k'), leaving.signal).catch(() => undefined);
    const staying = pool.run('k', start('k'));
    await settle();
    leaving.abort();
    assert.equal(started[0]?.signal.aborted, false);
    started[0]?.answer.resolve('image');
    assert.equal(await staying, 'image');
  });

  it('an already aborted caller starts nothing', async () => {
    const pool = createRequestPool();
    const { started, start } = controllable();
    await assert.rejects(pool.run('k', start('k'), AbortSignal.abort()), isAborted);
    await settle();
    assert.equal(started.length, 0);
  });
});

describe('RequestPool: at most N requests at once', () => {
  it('runs 4 by default and starts the rest in order as slots free up', async () => {
    const pool = createRequestPool();
    const { started, start } = controllable();
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const results = names.map((name) => pool.run(name, start(name)));
    await settle();
    assert.deepEqual(started.map((s) => s.name), ['a', 'b', 'c', 'd']);
    started[2]?.answer.resolve('c');
    await settle();
    assert.deepEqual(started.map((s) => s.name), ['a', 'b', 'c', 'd', 'e']);
    started[0]?.answer.reject(new GleanError('unreachable', 'x'));
    await settle();
    assert.deepEqual(started.map((s) => s.name), names);
    for (const s of started.slice(1)) s.answer.resolve(s.name);
    assert.equal(await results[5], 'f');
    await assert.rejects(results[0] as Promise<string>);
  });

  it('a request abandoned while queued never starts and does not hold a slot', async () => {
    const pool = createRequestPool(1);
    const { started, start } = controllable();
    const first = pool.run('a', start('a'));
    const queued = new AbortController();
    const second = pool.run('b', start('b'), queued.signal);
    const third = pool.run('c', start('c'));
    await settle();
    queued.abort();
    await assert.rejects(second, isAborted);
    started[0]?.answer.resolve('a');
    await first;
    await settle();
    assert.deepEqual(started.map((s) => s.name), ['a', 'c']);
    started[1]?.answer.resolve('c');
    assert.equal(await third, 'c');
  });

  it('limit() counts toward the cap but never shares', async () => {
    const pool = createRequestPool(2);
    const { started, start } = controllable();
    const uploads = [pool.limit(start('up1')), pool.limit(start('up1'))];
    void pool.run('k', start('k'));
    await settle();
    assert.deepEqual(started.map((s) => s.name), ['up1', 'up1']);
    started[0]?.answer.resolve('done');
    await settle();
    assert.deepEqual(started.map((s) => s.name), ['up1', 'up1', 'k']);
    started[1]?.answer.resolve('done too');
    assert.deepEqual(await Promise.all(uploads), ['done', 'done too']);
  });
});

describe('RequestPool: a slot is given back once', () => {
  it('a request abandoned the moment it gets its slot frees that slot once, so the cap still holds', async () => {
    const pool = createRequestPool(1);
    const { started, start } = controllable();
    const first = pool.run('a', start('a'));
    // Queued behind 'a'; its only caller leaves as soon as it starts, which cancels the shared request.
    const leaving = new AbortController();
    const second = pool.run('b', (signal) => {
      leaving.abort();
      return start('b')(signal);
    }, leaving.signal);
    await settle();
    started[0]?.answer.resolve('a');
    await first;
    await assert.rejects(second, isAborted);
    started[1]?.answer.reject(new GleanError('aborted', 'cancelled'));
    await settle();
    // One slot: of two new requests, only one may start.
    void pool.run('c', start('c'));
    void pool.run('d', start('d'));
    await settle();
    assert.deepEqual(started.map((s) => s.name), ['a', 'b', 'c']);
  });
});

/**
 * Where the worker gets the enterprise policy without waiting on `storage.managed`: Chromium's first
 * `storage.managed.get` after a browser start takes about 3 s (the next call a few ms), and nothing a
 * page or a lookup does may be that late. The worker reads it once when it starts, in parallel, and
 * again on `storage.onChanged` for 'managed'; each reading is kept twice, raw and checked again by
 * readPolicy (policy.ts) every time it is used:
 * - in `storage.session`: this browser session's reading, which later worker starts find at once;
 * - in `storage.local`: the last reading ever, which the next browser start begins with.
 *
 * Before this browser session's first reading arrives, work goes by the last one kept. That reading
 * was the administrator's own choice a browser start ago, and it still fails closed when it was
 * invalid; the credentials it leads to are sealed for their server (tokenSeal.ts), so a stale reading
 * can at worst send a request, for those few seconds, to the server the administrator set last time,
 * never a credential to a server it was not given for. With no reading ever kept (the first start
 * after install or after an update to this version), anything that sends waits for the reading
 * itself; showing and saving settings go by the stored settings and follow the reading when it comes
 * (saved values never override policy: settings.ts applies it on every read).
 */
import { POLICY_KEPT_KEY } from '../shared/messages.ts';
import { isRecord } from '../shared/isRecord.ts';
import { readPolicy, type PolicyReading } from './policy.ts';
import type { KeyValueArea } from './settings.ts';


/** 'wait': with no reading ever kept, wait for one; 'skip': answer undefined instead. */
export type WhenUnread = 'wait' | 'skip';
export type ReadPolicy = (whenUnread: WhenUnread) => Promise<PolicyReading | undefined>;

export interface PolicySourceDeps {
  /** `storage.managed.get(null)`; rejects where the browser has no managed storage (Firefox without policies). */
  readManaged: () => Promise<Record<string, unknown>>;
  session: KeyValueArea;
  local: KeyValueArea;
}

export function createPolicySource({ readManaged, session, local }: PolicySourceDeps) {
  /** This worker's own reading of this browser session, once it arrived. */
  let fresh: PolicyReading | undefined;
  let reading: Promise<PolicyReading> | undefined;
  let started = 0;

  /** Reads `storage.managed` now and keeps what it holds; at worker start and whenever the policy changes. */
  function refresh(): Promise<PolicyReading> {
    const generation = ++started;
    reading = (async (): Promise<PolicyReading> => {
      // A browser without managed storage has no policy.
      const raw = await readManaged().catch(() => ({}));
      // A reading started later (the policy changed meanwhile) wins: this older one must not overwrite it.
      if (generation !== started && reading) return reading;
      await Promise.all([session.set({ [POLICY_KEPT_KEY]: raw }), local.set({ [POLICY_KEPT_KEY]: raw })]);
      fresh = readPolicy(raw);
      return fresh;
    })();
    return reading;
  }

  async function kept(area: KeyValueArea): Promise<PolicyReading | undefined> {
    const { [POLICY_KEPT_KEY]: raw } = await area.get(POLICY_KEPT_KEY);
    return isRecord(raw) ? readPolicy(raw) : undefined;
  }

  const read: ReadPolicy = async (whenUnread) => {
    if (fresh) return fresh;
    const known = (await kept(session)) ?? (await kept(local));
    if (known || whenUnread === 'skip') return known;
    return reading ?? refresh();
  };

  return { refresh, read };
}

export type PolicySource = ReturnType<typeof createPolicySource>;

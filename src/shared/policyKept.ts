/**
 * The `storage.local` key under which the worker keeps its last reading of the enterprise policy
 * (src/worker/policySource.ts). The Options page listens to changes of it to show a policy that
 * arrives while it is open.
 */
export const POLICY_KEPT_KEY = 'managedPolicyKept';

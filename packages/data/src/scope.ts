import { AsyncLocalStorage } from 'node:async_hooks';

/** What one request may touch, and what it consumed; carried through async calls. */
export type RequestScope = {
  requestId: string;
  /** Partition-key prefixes this request may read or write. */
  allowedPrefixes: string[];
  /** Who the scope serves, for logs and guard messages (town id or `county`). */
  tenant: string;
  consumed: { read: number; write: number; calls: number };
  /**
   * Which failure budget its DynamoDB calls get: `request` (an API request: a quick 503) or, when unset,
   * the background budget of jobs, imports and seeding, which may wait longer before giving up.
   */
  budget?: 'request';
  /** The idempotency record this attempt holds, which its transactions mark as applied. */
  idempotency?: { key: { pk: string; sk: string }; attempt: string };
  /**
   * A check still under way that every write of the scope waits for (and fails with, if it fails): a
   * read request's town-status check, run alongside its reads, so that nothing is ever written for a
   * town not yet known to be active.
   */
  writeGate?: Promise<unknown>;
};

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` as one request confined to `allowedPrefixes`. */
export function runInScope<T>(
  init: Omit<RequestScope, 'consumed'> & { consumed?: RequestScope['consumed'] },
  fn: () => Promise<T>,
): Promise<T> {
  return storage.run({ consumed: { read: 0, write: 0, calls: 0 }, ...init }, fn);
}

export const currentScope = (): RequestScope | undefined => storage.getStore();

/**
 * Widens the current request to one more town, for county provisioning only: the county acts for the
 * new town while seeding it. Every use is visible in code review and in the town's audit.
 */
export async function actingForTown<T>(townPrefixValue: string, fn: () => Promise<T>): Promise<T> {
  const scope = storage.getStore();
  if (!scope) return fn();
  // `consumed` is the same object, so capacity used while acting for the town counts for the request.
  return storage.run({ ...scope, allowedPrefixes: [...scope.allowedPrefixes, townPrefixValue] }, fn);
}

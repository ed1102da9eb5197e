/**
 * Values every request of a capability reads and people change a few times a year — a town's working
 * calendar, its matter ladder, its category catalogue — kept in this process for a short while
 * (decision 107). Keys always begin with the town id, so one town's value never answers another's.
 * A save in this process forgets what it changed at once; other processes see it within the TTL.
 */
const entries = new Map<string, { until: number; value: Promise<unknown> }>();

export const REMEMBER_MS = 60_000;

export function remembered<T>(key: string, load: () => Promise<T>, ttlMs = REMEMBER_MS): Promise<T> {
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.until > now) return hit.value as Promise<T>;
  const value = load();
  entries.set(key, { until: now + ttlMs, value });
  // A failed read is not kept: the next request reads again.
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  return value;
}

/** Forgets every value whose key begins with `prefix` (all of them for `''`). */
export function forget(prefix: string): void {
  for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
}

/**
 * Long-running background work (an import today; exports, re-plans and sweeps later) runs as a "job
 * run" that holds a lease: an owner and an expiry, renewed at every checkpoint. These rules decide,
 * without any storage, who may run it next and when it has had enough attempts.
 */

/** Where a run stands. `previewed` is an import that nobody has committed yet. */
export type RunStatus = 'previewed' | 'queued' | 'running' | 'done' | 'failed' | 'abandoned';

/** The lease part of a run's record. */
export type RunLease = {
  status: RunStatus;
  /** Who holds the lease (a process or invocation id); absent when nobody ever ran it. */
  leaseOwner?: string;
  /** ISO time after which the lease is free again. */
  leaseUntil?: string;
  /** Runs started so far (each taking of the lease is one). */
  attempts?: number;
};

/** How long a lease lasts without a heartbeat, and how many attempts a run gets before it fails. */
export type LeasePolicy = { leaseMs: number; maxAttempts: number };

export const DEFAULT_LEASE_POLICY: LeasePolicy = { leaseMs: 120_000, maxAttempts: 3 };

/** The lease policy, with the lease length and attempts overridable by environment (tests shorten the lease). */
export function leasePolicy(env: Record<string, string | undefined> = process.env): LeasePolicy {
  const seconds = Number(env.GRIDLINE_JOB_LEASE_SECONDS);
  const attempts = Number(env.GRIDLINE_JOB_MAX_ATTEMPTS);
  return {
    leaseMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_LEASE_POLICY.leaseMs,
    maxAttempts: Number.isInteger(attempts) && attempts > 0 ? attempts : DEFAULT_LEASE_POLICY.maxAttempts,
  };
}

/** Whether a lease is held by someone at `now` (an absent or past expiry is free). */
export function leaseHeld(run: RunLease, now: number): boolean {
  return run.leaseUntil !== undefined && Date.parse(run.leaseUntil) > now;
}

/**
 * What a runner (or the sweeper) should do with a run at `now`:
 * - `take`: nobody holds it and it has attempts left, so take the lease (conditionally) and run it;
 * - `busy`: a live lease is held by someone else; doing nothing is right;
 * - `exhausted`: it stopped (lease expired) and used every attempt; mark it failed;
 * - `closed`: nothing to run (not committed, finished, failed or abandoned).
 */
export type RunDecision = 'take' | 'busy' | 'exhausted' | 'closed';

export function decideRun(run: RunLease, now: number, policy: LeasePolicy): RunDecision {
  if (run.status !== 'queued' && run.status !== 'running') return 'closed';
  if (leaseHeld(run, now)) return 'busy';
  return (run.attempts ?? 0) >= policy.maxAttempts ? 'exhausted' : 'take';
}

/** The lease fields a runner writes when it takes or renews the lease. */
export function leaseFor(owner: string, now: number, policy: LeasePolicy): { leaseOwner: string; leaseUntil: string } {
  return { leaseOwner: owner, leaseUntil: new Date(now + policy.leaseMs).toISOString() };
}

/** A failed run may be resumed by a person (with a fresh set of attempts). */
export function canResume(run: RunLease): boolean {
  return run.status === 'failed';
}

/**
 * A run may be abandoned when it failed, or when it is queued or running but nobody holds its lease
 * (stalled): abandoning a run that is making progress would race its runner.
 */
export function canAbandon(run: RunLease, now: number): boolean {
  if (run.status === 'failed') return true;
  return (run.status === 'queued' || run.status === 'running') && !leaseHeld(run, now);
}

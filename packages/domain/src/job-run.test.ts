import { describe, expect, it } from 'vitest';
import { canAbandon, canResume, DEFAULT_LEASE_POLICY, decideRun, leaseFor, leaseHeld, leasePolicy, type RunLease } from './job-run';

const policy = { leaseMs: 10_000, maxAttempts: 3 };
const t0 = Date.parse('2026-12-04T08:00:00.000Z');
const running = (over: Partial<RunLease> = {}): RunLease => ({
  status: 'running',
  leaseOwner: 'a',
  leaseUntil: new Date(t0 + 5_000).toISOString(),
  attempts: 1,
  ...over,
});

describe('job run lease policy', () => {
  it('lets the first runner take a queued run that nobody ever held', () => {
    expect(decideRun({ status: 'queued' }, t0, policy)).toBe('take');
  });

  it('leaves a run alone while its lease is live, and takes it once the lease has expired', () => {
    expect(decideRun(running(), t0, policy)).toBe('busy');
    expect(decideRun(running(), t0 + 4_999, policy)).toBe('busy');
    // The expiry instant itself is free: a lease is held strictly before it.
    expect(decideRun(running(), t0 + 5_000, policy)).toBe('take');
    expect(decideRun(running({ attempts: 2 }), t0 + 60_000, policy)).toBe('take');
  });

  it('gives up after the set number of attempts, but only once the last one has stopped', () => {
    expect(decideRun(running({ attempts: 3 }), t0, policy)).toBe('busy');
    expect(decideRun(running({ attempts: 3 }), t0 + 5_000, policy)).toBe('exhausted');
    expect(decideRun(running({ attempts: 7 }), t0 + 5_000, policy)).toBe('exhausted');
  });

  it('never runs what is not committed or already over', () => {
    for (const status of ['previewed', 'done', 'failed', 'abandoned'] as const)
      expect(decideRun({ status, attempts: 0 }, t0, policy)).toBe('closed');
  });

  it('writes a lease that lasts the policy length from now', () => {
    const lease = leaseFor('runner-1', t0, policy);
    expect(lease).toEqual({ leaseOwner: 'runner-1', leaseUntil: '2026-12-04T08:00:10.000Z' });
    expect(leaseHeld({ status: 'running', ...lease }, t0 + 9_999)).toBe(true);
    expect(leaseHeld({ status: 'running', ...lease }, t0 + 10_000)).toBe(false);
    expect(leaseHeld({ status: 'running' }, t0)).toBe(false);
  });

  it('resumes failed runs only, and abandons failed or stalled ones but never one that is making progress', () => {
    expect(canResume({ status: 'failed' })).toBe(true);
    for (const status of ['previewed', 'queued', 'running', 'done', 'abandoned'] as const) expect(canResume({ status })).toBe(false);
    expect(canAbandon({ status: 'failed' }, t0)).toBe(true);
    expect(canAbandon(running(), t0)).toBe(false);
    expect(canAbandon(running(), t0 + 5_000)).toBe(true);
    expect(canAbandon({ status: 'queued' }, t0)).toBe(true);
    for (const status of ['previewed', 'done', 'abandoned'] as const) expect(canAbandon({ status }, t0)).toBe(false);
  });

  it('reads the lease length and attempts from the environment, ignoring nonsense', () => {
    expect(leasePolicy({})).toEqual(DEFAULT_LEASE_POLICY);
    expect(leasePolicy({ GRIDLINE_JOB_LEASE_SECONDS: '2.5', GRIDLINE_JOB_MAX_ATTEMPTS: '5' })).toEqual({ leaseMs: 2_500, maxAttempts: 5 });
    expect(leasePolicy({ GRIDLINE_JOB_LEASE_SECONDS: 'soon', GRIDLINE_JOB_MAX_ATTEMPTS: '-1' })).toEqual(DEFAULT_LEASE_POLICY);
  });
});

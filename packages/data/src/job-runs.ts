import { AppError, decideRun, type LeasePolicy, leaseFor, type RunDecision, type RunLease } from '@gridline/domain';
import { type Key, townKeys } from './keys';
import { type AuditEntry, commitChange, getItem, type Item, queryAll, type Write } from './ops';

/** Which run: its kind (`import`, later `export`, …), its id, and the key of the record that holds its lease. */
export type RunRef = { kind: string; runId: string; key: Key };

/** A lease this process holds: the record's version is tracked so every renewal is a conditional write. */
export type HeldLease = RunRef & { owner: string; version: number; attempts: number };

/** A run's record as the lease module sees it (the job's own fields ride along untouched). */
export type RunRecord = RunLease & { version: number } & Item;

/** The sweeper's entry for a queued or running run. */
export type ActiveRun = { kind: string; runId: string; recordPk: string; recordSk: string; since: string };

/** Raised when a renewal finds the lease taken by someone else (or the run abandoned): the holder must stop. */
export class LeaseLost extends AppError {
  constructor() {
    super('job.lease_lost', 409, 'Another runner has taken over this run.');
  }
}

/**
 * Leases of one town's job runs. A run's record carries `status`, `leaseOwner`, `leaseUntil` and
 * `attempts`; every change to them is conditional on the record's version, so two runners can never
 * both hold the lease, and a runner whose lease was taken finds out at its next renewal.
 */
export function jobRunsOf(townId: string) {
  const k = townKeys(townId);
  const marker = (ref: RunRef) => k.activeRun(ref.kind, ref.runId);

  async function read(ref: RunRef): Promise<RunRecord | undefined> {
    return getItem<RunRecord>(ref.key, { consistent: true });
  }

  return {
    /** The write that lists a run for the sweeper; part of the change that queues the run. */
    activeWrite(ref: RunRef, now: string): Write {
      return {
        kind: 'put',
        item: {
          ...marker(ref),
          type: 'ActiveRun',
          kind: ref.kind,
          runId: ref.runId,
          recordPk: ref.key.pk,
          recordSk: ref.key.sk,
          since: now,
        },
      };
    },

    /** The write that takes a run off the sweeper's list; part of the change that ends it. */
    inactiveWrite(ref: RunRef): Write {
      return { kind: 'remove', key: marker(ref) };
    },

    /** The town's queued and running runs (one small partition). */
    async active(): Promise<ActiveRun[]> {
      return queryAll<ActiveRun>(k.activeRunsPk, undefined, { consistent: true });
    },

    read,

    /**
     * Takes the lease if the policy allows: returns it with the record as it now stands, or says why
     * not (`busy`: someone holds it or won the race; `exhausted`, `closed`: see decideRun).
     */
    async acquire(
      ref: RunRef,
      owner: string,
      now: number,
      policy: LeasePolicy,
      set: Item = {},
    ): Promise<{ lease: HeldLease; record: RunRecord } | { decision: Exclude<RunDecision, 'take'>; record?: RunRecord }> {
      const record = await read(ref);
      if (!record) return { decision: 'closed' };
      const decision = decideRun(record, now, policy);
      if (decision !== 'take') return { decision, record };
      const attempts = (record.attempts ?? 0) + 1;
      const fields = { status: 'running', ...leaseFor(owner, now, policy), attempts, heartbeatAt: new Date(now).toISOString(), ...set };
      try {
        await commitChange({ writes: [{ kind: 'update', key: ref.key, set: fields, version: record.version }], audit: [] });
      } catch (e) {
        // Someone else took it (or a person resumed or abandoned it) between the read and the write.
        if (e instanceof AppError && e.code === 'conflict.version') return { decision: 'busy', record };
        throw e;
      }
      const version = record.version + 1;
      return { lease: { ...ref, owner, version, attempts }, record: { ...record, ...fields, version } as RunRecord };
    },

    /** Renews the lease with the run's checkpoint fields; LeaseLost if it is no longer ours. */
    async heartbeat(lease: HeldLease, now: number, policy: LeasePolicy, set: Item = {}): Promise<void> {
      await writeHeld(lease, { ...set, ...leaseFor(lease.owner, now, policy), heartbeatAt: new Date(now).toISOString() });
    },

    /** Ends the run (done or failed) and takes it off the sweeper's list, with any audit entries, at once. */
    async finish(lease: HeldLease, status: 'done' | 'failed', set: Item, audit: AuditEntry[] = []): Promise<void> {
      await writeHeld(lease, { ...set, status, leaseUntil: new Date(0).toISOString() }, [{ kind: 'remove', key: marker(lease) }], audit);
    },

    /**
     * Gives the lease back after a failed attempt that has attempts left: the next runner (Lambda's own
     * retry or the sweeper, whichever comes first) may take it at once instead of waiting for expiry.
     */
    async release(lease: HeldLease, now: number, set: Item): Promise<void> {
      await writeHeld(lease, { ...set, leaseUntil: new Date(now).toISOString() });
    },

    /** Marks a stopped run that used every attempt as failed (at the version read, so it cannot race a runner). */
    async giveUp(ref: RunRef, record: RunRecord, set: Item, audit: AuditEntry[] = []): Promise<boolean> {
      try {
        await commitChange({
          writes: [
            { kind: 'update', key: ref.key, set: { ...set, status: 'failed' }, version: record.version },
            { kind: 'remove', key: marker(ref) },
          ],
          audit,
        });
        return true;
      } catch (e) {
        if (e instanceof AppError && e.code === 'conflict.version') return false;
        throw e;
      }
    },
  };

  async function writeHeld(lease: HeldLease, set: Item, more: Write[] = [], audit: AuditEntry[] = []): Promise<void> {
    try {
      await commitChange({
        writes: [{ kind: 'update', key: lease.key, set, version: lease.version, expect: { leaseOwner: lease.owner } }, ...more],
        audit,
      });
    } catch (e) {
      if (e instanceof AppError && e.code === 'conflict.version') throw new LeaseLost();
      throw e;
    }
    lease.version += 1;
  }
}

import { teamOf } from '@gridline/data/team';
import {
  type Appoint,
  AppError,
  type CoordinatorView,
  type Exit,
  signInOf,
  type TeamAction,
  type TownPrincipal,
  type Transfer,
} from '@gridline/domain';
import { followSaved, prepareAccount } from '../sign-in-order';

/*
 * A coordinator's sign-in follows their record (decisions 66–67). The record, its history, audit,
 * counters and (for a transfer, leave or dismissal) the town's revocation list are ONE transaction; the
 * directory is brought in line after it (the order is shared with the staff: ../sign-in-order.ts). An
 * appointment first makes sure the account can be this person's (created disabled if new), so a username taken by another role or town is refused before
 * anything is saved. If the directory fails after the save, the answer is 503 `identity.sign_in_pending`
 * and repeating the same request completes it: the step is found already recorded and only the
 * directory is brought in line with the record.
 */

type Followed = 'appoint' | 'transfer' | 'leave' | 'dismiss';
type Body = { appoint: Appoint; transfer: Transfer; leave: Exit; dismiss: Exit };

/** Brings the account in line with `record`; `before` (the record before the step) says which grids it leaves. */
async function follow(townId: string, record: CoordinatorView, before?: CoordinatorView): Promise<void> {
  const want = signInOf(record);
  if (!want) return;
  const had = before ? (signInOf(before)?.gridIds ?? []) : [];
  const state = want.enabled
    ? { enabled: true, remove: had.filter((g) => !want.gridIds.includes(g)), add: want.gridIds }
    : { enabled: false, remove: want.gridIds };
  await followSaved((d) => d.followRecord(want.username, townId, state), mismatch, { coordinatorId: record.coordinatorId });
}

const mismatch = (cause: Error) =>
  new AppError(
    'staff.account_mismatch',
    409,
    'That sign-in belongs to another town or to staff of another role, so it cannot be this coordinator’s. Give another username.',
    { field: 'body.username', cause },
  );

/** Whether `record` already shows this step done with this body (a repeat after a directory failure). */
function alreadyDone(kind: Followed, body: Body[Followed], record: CoordinatorView): boolean {
  if (kind === 'leave') return record.stage === 'left';
  if (kind === 'dismiss') return record.stage === 'dismissed';
  if (kind === 'appoint') {
    const b = body as Appoint;
    const a = record.appointment;
    return (
      record.stage === 'appointed' &&
      a !== undefined &&
      a.documentNo === b.documentNo &&
      a.gridIds.join(' ') === b.gridIds.join(' ') &&
      (b.username === undefined || a.username === b.username)
    );
  }
  return false;
}

/** One step that moves a sign-in: the record saved, then the directory; a repeat completes an interrupted one. */
export async function stepWithSignIn<K extends Followed>(
  principal: TownPrincipal,
  coordinatorId: string,
  kind: K,
  body: Body[K],
  now: string,
): Promise<CoordinatorView> {
  const team = teamOf(principal);
  let before: CoordinatorView | undefined;
  let credentials: { username: string; temporaryPassword: string } | undefined;
  let saved: CoordinatorView;
  try {
    saved = await team.step(coordinatorId, { kind, body } as TeamAction, now, async (after, was) => {
      before = was as CoordinatorView | undefined;
      const want = signInOf(after);
      if (kind !== 'appoint' || !want) return;
      const temporaryPassword = await prepareAccount(
        { username: want.username, displayName: after.name, role: 'grid_coordinator', townId: principal.townId, disabled: true },
        mismatch,
        { coordinatorId },
      );
      if (temporaryPassword) credentials = { username: want.username, temporaryPassword };
    });
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'team.out_of_order') throw e;
    const record = await team.record(coordinatorId);
    if (!alreadyDone(kind, body, record)) throw e;
    await follow(principal.townId, record);
    return record;
  }
  await follow(principal.townId, saved, before);
  return credentials ? { ...saved, initialCredentials: credentials } : saved;
}

import { orgOf } from '@gridline/data/org';
import { AppError } from '@gridline/domain';
import { IdentityScopeError } from '@gridline/identity';
import { accounts } from './identity';
import { logger } from './pipeline/log';

/**
 * Brings the sign-in directory in line with a grid's coordinator once the database holds the change
 * (decision 24): each of `former` loses `grid:<gridId>` from their scope claim, then `holder` (if any)
 * gains it. Taking away goes first, so a failure half-way never leaves two coordinators on one grid.
 * Every step is idempotent, so repeating the request completes an interrupted one.
 *
 * `retry` is the message for a directory failure: the change is saved, and saying it again completes it.
 */
export async function syncGridScope(
  townId: string,
  gridId: string,
  who: { holder?: string | undefined; former: readonly string[] },
  retry: string,
): Promise<void> {
  const directory = await accounts();
  try {
    for (const username of new Set(who.former)) {
      if (username === who.holder) continue;
      try {
        await directory.changeGridScope(username, townId, { remove: gridId });
      } catch (e) {
        // An account of another town holds nothing of this town's to take away; never touch it.
        if (!(e instanceof IdentityScopeError)) throw e;
        logger.warn('former coordinator not in this town; scope left alone', { gridId, reason: e.reason });
      }
    }
    if (who.holder) await directory.changeGridScope(who.holder, townId, { add: gridId });
  } catch (e) {
    if (e instanceof IdentityScopeError)
      throw new AppError(
        'staff.account_mismatch',
        409,
        'The grid names this coordinator, but their sign-in account is not a grid coordinator of this town, so they cannot open it. Ask county IT to check the account.',
        { field: 'body.username', cause: e },
      );
    logger.error('sign-in directory not updated', { gridId, error: e as Error });
    throw new AppError('identity.scope_pending', 503, retry, { cause: e, expose: true });
  }
}

const NAME_AGAIN =
  'The coordinator is saved, but the sign-in directory could not be updated, so the coordinators’ sign-ins do not follow it yet. Name the same coordinator again to complete it.';
const RETIRE_AGAIN =
  'The grid is retired, but the sign-in directory could not be updated, so its coordinator’s sign-in still includes it. Retire the grid again to complete it.';

/** PUT …/grids/{gridId}/coordinator: the grid record first, then the scope claims of the old and new coordinator. */
export async function nameCoordinator(townId: string, gridId: string, version: number, username: string, actor: string, now: string) {
  const named = await orgOf(townId).assignCoordinator(gridId, version, username, actor, now);
  await syncGridScope(townId, gridId, { holder: named.holder, former: named.former }, NAME_AGAIN);
  return named.grid;
}

/** POST …/grids/{gridId}/retire: a retired grid leaves its coordinator's scope claim (and any former one's). */
export async function retireGrid(townId: string, gridId: string, version: number, actor: string, now: string) {
  const grid: Record<string, unknown> = await orgOf(townId).retire('grid', gridId, version, actor, now);
  const former = [grid.coordinatorUserId, grid.formerCoordinatorUserId].filter((u): u is string => typeof u === 'string');
  await syncGridScope(townId, gridId, { former }, RETIRE_AGAIN);
  return grid;
}

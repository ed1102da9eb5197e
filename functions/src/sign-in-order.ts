import { AppError } from '@gridline/domain';
import { IdentityConflictError, type IdentityDirectory, IdentityScopeError, type NewUser } from '@gridline/identity';
import { accounts } from './identity';
import { logger } from './pipeline/log';

/*
 * The order every change that moves a sign-in follows (decisions 66–67, 78), shared by the team
 * (functions/src/team/sign-in.ts) and the staff (functions/src/staff/handlers.ts):
 *
 * 1. before the save, the account is made sure to be this person's (`prepareAccount`: created disabled
 *    if new), so a username taken by another role or town is refused and nothing is saved;
 * 2. the record, its history, audit and (when tokens must end) the town's revocation list are saved in
 *    ONE transaction: from then on old tokens are refused, whatever the directory does;
 * 3. the directory is brought in line with the saved record (`followSaved`). If it fails, the answer is
 *    503 `identity.sign_in_pending` and sending the same request again completes it (each caller finds
 *    the step already saved and only repeats this step). Table and directory never disagree silently.
 */

const PENDING =
  'The record is saved, but the sign-in directory could not be updated, so the sign-in does not follow it yet. Send the same step again to complete it.';

/**
 * Step 1: the account exists and may be this person's; returns the one-time password when one was made.
 * `existing`: what an account found already (not made now) needs before the save, e.g. enabling again.
 */
export async function prepareAccount(
  user: NewUser,
  mismatch: (cause: Error) => AppError,
  context: Record<string, unknown>,
  existing?: (directory: IdentityDirectory) => Promise<void>,
): Promise<string | undefined> {
  try {
    const directory = await accounts();
    const made = await directory.ensureUser(user);
    if (!made.created && existing) await existing(directory);
    return made.temporaryPassword;
  } catch (e) {
    if (e instanceof IdentityConflictError || e instanceof IdentityScopeError) throw mismatch(e);
    logger.error('sign-in directory unreachable before a save', { ...context, error: e as Error });
    throw new AppError('identity.unavailable', 503, 'The sign-in directory cannot be reached; nothing was saved. Try again.', {
      cause: e,
      expose: true,
    });
  }
}

/** Step 3: the directory brought in line with what was saved; a failure is 503 `identity.sign_in_pending`. */
export async function followSaved(
  run: (directory: IdentityDirectory) => Promise<void>,
  mismatch: (cause: Error) => AppError,
  context: Record<string, unknown>,
): Promise<void> {
  try {
    await run(await accounts());
  } catch (e) {
    if (e instanceof IdentityScopeError) throw mismatch(e);
    logger.error('sign-in directory not updated', { ...context, error: e as Error });
    throw new AppError('identity.sign_in_pending', 503, PENDING, { cause: e, expose: true });
  }
}

import type { Coordinator } from './rules';

/*
 * A coordinator's sign-in follows their record (decisions 66–67). What the directory should hold for a
 * record, and the town's revocation list: `revoked[username]` is the second from which every token the
 * person held before is refused. Kept on the town's status item, which every town request reads anyway.
 */

/** How long a revocation is kept: longer than any ID token lives (ours 1 h, Cognito's at most 1 day). */
export const REVOCATION_KEEP_SECONDS = 86_400;

export type Revocations = Record<string, number>;

/** The sign-in of an appointment when none is given: the town, a dot and the record's id in lower case. */
export const defaultSignIn = (townId: string, coordinatorId: string) => `${townId}.${coordinatorId.toLowerCase()}`;

/** What the directory should hold for a record: the account enabled with the grids, or disabled; none before appointment. */
export function signInOf(
  c: Pick<Coordinator, 'stage' | 'appointment'>,
): { username: string; enabled: boolean; gridIds: string[] } | undefined {
  const username = c.appointment?.username;
  if (!username || !c.appointment) return undefined;
  return { username, enabled: c.stage === 'appointed', gridIds: [...c.appointment.gridIds] };
}

/** The list after revoking `username` at `nowSeconds`: entries older than any live token are dropped. */
export function withRevocation(list: Revocations | undefined, username: string, nowSeconds: number): Revocations {
  const out: Revocations = {};
  for (const [u, at] of Object.entries(list ?? {})) if (at > nowSeconds - REVOCATION_KEEP_SECONDS) out[u] = at;
  out[username] = Math.max(nowSeconds, out[username] ?? 0);
  return out;
}

/**
 * Whether a token is refused: issued (`iat`, seconds) at or before its holder's revocation. A token
 * without `iat` is refused when its holder has one. A token issued after (a new sign-in once re-enabled) passes.
 */
export function isRevoked(list: Revocations | undefined, username: string, iat: number | undefined): boolean {
  const at = list?.[username];
  if (at === undefined) return false;
  return iat === undefined || !Number.isFinite(iat) || iat <= at;
}

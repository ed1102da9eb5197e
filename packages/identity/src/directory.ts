import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { entityIdSchema, formatScope, type Role, SCOPE_CLAIM_MAX_LENGTH, type Scope } from '@gridline/domain';

/** A sign-in account as the identity provider (Cognito, or the local stand-in) keeps it. */
export type DirectoryUser = {
  sub: string;
  username: string;
  displayName: string;
  role: Role;
  townId?: string;
  scope: string;
};

export type NewUser = {
  username: string;
  displayName: string;
  role: Role;
  townId?: string;
  scope?: Scope;
  /** Created unable to sign in (a coordinator's account before the appointment is saved). */
  disabled?: boolean;
};

/**
 * What an account should be to follow a coordinator's record: enabled or not, and grids entering
 * (`add`) or leaving (`remove`) its scope claim.
 */
export type AccountState = { enabled: boolean; add?: readonly string[]; remove?: readonly string[] };

/**
 * What a staff account (a role other than grid coordinator) should be to follow its staff record:
 * enabled or not, its role, and the communities of its scope claim.
 */
export type StaffAccountState = { enabled: boolean; role: Role; communityIds: readonly string[] };

/** One grid entering (`add`) or leaving (`remove`) an account's scope claim. */
export type GridScopeChange = { add?: string; remove?: string };

/** Where accounts live: Cognito when deployed, a local file or memory here. */
export interface IdentityDirectory {
  /** Creates the account unless one exists for the same town and role; returns a one-time password if created. */
  ensureUser(user: NewUser): Promise<{ created: boolean; temporaryPassword?: string }>;
  /**
   * Adds `grid:<add>` to and removes `grid:<remove>` from the scope claim of an account of `townId`;
   * every other entry (`community:`, `perm:`, other grids) stays as it is. Only a grid coordinator
   * can be given a grid; a grid can be taken from any account of the town. Refuses, with
   * IdentityScopeError, an account of another town (or of none), an unknown account when adding,
   * and a claim that would grow too long. Removing from an unknown account changes nothing. The
   * account sees the change in the next ID token it receives (its next sign-in), not in one it holds.
   */
  changeGridScope(username: string, townId: string, change: GridScopeChange): Promise<{ changed: boolean }>;
  /**
   * Brings an account of `townId` in line with a coordinator's record: grids removed then added (as
   * changeGridScope), then enabled, or disabled and signed out everywhere. Idempotent, so repeating it
   * completes an interrupted one. Refuses (IdentityScopeError) an account of another town, and an
   * unknown account unless it is being disabled (then nothing changes).
   */
  followRecord(username: string, townId: string, state: AccountState): Promise<void>;
  /**
   * Brings a staff account of `townId` in line with its staff record: the role, the `community:` and
   * `grid:` entries of the claim replaced by the communities given (other entries, `perm:`, kept), then
   * enabled, or disabled and signed out everywhere. Idempotent. Refuses (IdentityScopeError) an account
   * of another town, a coordinator's account (it follows the team record), and an unknown account
   * unless it is being disabled (then nothing changes).
   */
  followStaff(username: string, townId: string, state: StaffAccountState): Promise<void>;
}

export class IdentityConflictError extends Error {
  constructor(username: string) {
    super(`The username ${username} belongs to another town or role.`);
  }
}

export type IdentityScopeRefusal = 'unknown_account' | 'other_town' | 'not_coordinator' | 'coordinator_account' | 'scope_too_long';

/** A scope change the directory will not make; `reason` says why. */
export class IdentityScopeError extends Error {
  constructor(
    readonly username: string,
    readonly reason: IdentityScopeRefusal,
  ) {
    super(`The scope of ${username} was not changed: ${reason.replaceAll('_', ' ')}.`);
    this.name = 'IdentityScopeError';
  }
}

/**
 * The scope claim after a grid change, decided the same way by every directory: the claim's entries
 * are edited one by one (not parsed and re-formatted), so entries of any kind keep their text and order.
 */
export function gridScopeAfter(
  account: { username: string; role?: string | undefined; townId?: string | undefined; scope?: string | undefined },
  townId: string,
  change: GridScopeChange,
): { scope: string; changed: boolean } {
  for (const id of [change.add, change.remove])
    if (id !== undefined && !entityIdSchema.safeParse(id).success) throw new RangeError(`Not a grid id: ${JSON.stringify(id)}`);
  if (account.townId !== townId) throw new IdentityScopeError(account.username, 'other_town');
  if (change.add !== undefined && account.role !== 'grid_coordinator') throw new IdentityScopeError(account.username, 'not_coordinator');
  const before = (account.scope ?? '').split(/\s+/).filter(Boolean);
  const after = before.filter((entry) => change.remove === undefined || entry !== `grid:${change.remove}`);
  if (change.add !== undefined && !after.includes(`grid:${change.add}`)) after.push(`grid:${change.add}`);
  const scope = after.join(' ');
  if (scope.length > SCOPE_CLAIM_MAX_LENGTH) throw new IdentityScopeError(account.username, 'scope_too_long');
  return { scope, changed: scope !== before.join(' ') };
}

/**
 * The role and claim a staff account gets, decided the same way by every directory: `community:` and
 * `grid:` entries replaced by the communities of the record, any other entry (`perm:`) kept in order.
 */
export function staffAccountAfter(
  account: { username: string; role?: string | undefined; townId?: string | undefined; scope?: string | undefined },
  townId: string,
  state: StaffAccountState,
): { role: Role; scope: string } {
  for (const id of state.communityIds)
    if (!entityIdSchema.safeParse(id).success) throw new RangeError(`Not a community id: ${JSON.stringify(id)}`);
  if (account.townId !== townId) throw new IdentityScopeError(account.username, 'other_town');
  if (account.role === 'grid_coordinator' || state.role === 'grid_coordinator')
    throw new IdentityScopeError(account.username, 'coordinator_account');
  const kept = (account.scope ?? '').split(/\s+/).filter((e) => e && !e.startsWith('community:') && !e.startsWith('grid:'));
  const scope = [...state.communityIds.map((c) => `community:${c}`), ...kept].join(' ');
  if (scope.length > SCOPE_CLAIM_MAX_LENGTH) throw new IdentityScopeError(account.username, 'scope_too_long');
  return { role: state.role, scope };
}

type Stored = DirectoryUser & { passwordHash: string; salt: string; disabled?: boolean };

const hash = (password: string, salt: string) => scryptSync(password, salt, 32).toString('base64');

/** A readable one-time password: no look-alike characters. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(14);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 5)}-${out.slice(5, 10)}-${out.slice(10)}`;
}

/**
 * The local stand-in for the Cognito user pool (Cognito cannot run here). Kept in memory, and in a
 * JSON file when given a path so that local accounts survive restarts.
 */
export class LocalDirectory implements IdentityDirectory {
  private readonly users = new Map<string, Stored>();

  constructor(private readonly file?: string) {
    if (file) {
      try {
        for (const u of JSON.parse(readFileSync(file, 'utf8')) as Stored[]) this.users.set(u.username, u);
      } catch {
        // No file yet: an empty directory.
      }
    }
  }

  private persist() {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify([...this.users.values()], null, 1));
    renameSync(`${this.file}.tmp`, this.file);
  }

  async ensureUser(user: NewUser, password?: string): Promise<{ created: boolean; temporaryPassword?: string }> {
    const existing = this.users.get(user.username);
    if (existing) {
      if (existing.role !== user.role || existing.townId !== user.townId) throw new IdentityConflictError(user.username);
      return { created: false };
    }
    const secret = password ?? generatePassword();
    const salt = randomBytes(16).toString('base64');
    this.users.set(user.username, {
      sub: crypto.randomUUID(),
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      ...(user.townId ? { townId: user.townId } : {}),
      scope: user.scope ? formatScope(user.scope) : '',
      ...(user.disabled ? { disabled: true } : {}),
      salt,
      passwordHash: hash(secret, salt),
    });
    this.persist();
    return password ? { created: true } : { created: true, temporaryPassword: secret };
  }

  async changeGridScope(username: string, townId: string, change: GridScopeChange): Promise<{ changed: boolean }> {
    const u = this.users.get(username);
    if (!u) {
      if (change.add !== undefined) throw new IdentityScopeError(username, 'unknown_account');
      return { changed: false };
    }
    const { scope, changed } = gridScopeAfter(u, townId, change);
    if (changed) {
      this.users.set(username, { ...u, scope });
      this.persist();
    }
    return { changed };
  }

  async followRecord(username: string, townId: string, state: AccountState): Promise<void> {
    const u = this.users.get(username);
    if (!u) {
      if (state.enabled) throw new IdentityScopeError(username, 'unknown_account');
      return;
    }
    if (u.townId !== townId) throw new IdentityScopeError(username, 'other_town');
    let scope = u.scope;
    for (const remove of state.remove ?? []) scope = gridScopeAfter({ ...u, scope }, townId, { remove }).scope;
    for (const add of state.add ?? []) scope = gridScopeAfter({ ...u, scope }, townId, { add }).scope;
    // Here tokens are not kept, so "signed out everywhere" is the town's revocation list (decision 67).
    const { disabled: _d, ...rest } = u;
    this.users.set(username, { ...rest, scope, ...(state.enabled ? {} : { disabled: true }) });
    this.persist();
  }

  async followStaff(username: string, townId: string, state: StaffAccountState): Promise<void> {
    const u = this.users.get(username);
    if (!u) {
      if (state.enabled) throw new IdentityScopeError(username, 'unknown_account');
      return;
    }
    const { role, scope } = staffAccountAfter(u, townId, state);
    // As for coordinators, "signed out everywhere" is the town's revocation list here (decision 67).
    const { disabled: _d, ...rest } = u;
    this.users.set(username, { ...rest, role, scope, ...(state.enabled ? {} : { disabled: true }) });
    this.persist();
  }

  /** Whether the account may sign in (false for an unknown one). */
  enabled(username: string): boolean {
    const u = this.users.get(username);
    return u !== undefined && !u.disabled;
  }

  /** The account if the password matches and it is enabled; constant-time on the hash. */
  authenticate(username: string, password: string): DirectoryUser | undefined {
    const u = this.users.get(username);
    const expected = Buffer.from(u?.passwordHash ?? hash('', 'none'), 'base64');
    const given = Buffer.from(hash(password, u?.salt ?? 'none'), 'base64');
    if (!u || !timingSafeEqual(expected, given) || u.disabled) return undefined;
    const { passwordHash: _h, salt: _s, disabled: _d, ...user } = u;
    return user;
  }

  /** Every account, without secrets, in creation order. */
  all(): DirectoryUser[] {
    return [...this.users.values()].map(({ passwordHash: _h, salt: _s, disabled: _d, ...user }) => user);
  }

  find(username: string): DirectoryUser | undefined {
    const u = this.users.get(username);
    if (!u) return undefined;
    const { passwordHash: _h, salt: _s, disabled: _d, ...user } = u;
    return user;
  }
}

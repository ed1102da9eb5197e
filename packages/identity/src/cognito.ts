import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { formatScope } from '@gridline/domain';
import {
  type AccountState,
  type GridScopeChange,
  gridScopeAfter,
  IdentityConflictError,
  type IdentityDirectory,
  IdentityScopeError,
  type NewUser,
  type StaffAccountState,
  staffAccountAfter,
} from './directory';

// Loaded on first use only: the SDK client costs ~125 ms of cold start that most requests never need.
const sdk = () => import('@aws-sdk/client-cognito-identity-provider');

/**
 * The deployed directory: Cognito creates the account and e-mails or texts the one-time password
 * itself, so none is returned. Cognito cannot run on this machine; this adapter is typechecked here
 * and exercised only in a deployed environment.
 */
export class CognitoDirectory implements IdentityDirectory {
  /** `client` is given only by tests (a fake: Cognito cannot run here); otherwise made on first use. */
  constructor(
    private readonly userPoolId: string,
    private client?: Pick<CognitoIdentityProviderClient, 'send'>,
  ) {}

  async ensureUser(user: NewUser): Promise<{ created: boolean }> {
    const { AdminCreateUserCommand, AdminGetUserCommand, CognitoIdentityProviderClient, UserNotFoundException } = await sdk();
    this.client ??= new CognitoIdentityProviderClient({});
    try {
      const got = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: user.username }));
      const attr = (name: string) => got.UserAttributes?.find((a) => a.Name === name)?.Value;
      if (attr('custom:role') !== user.role || attr('custom:town') !== user.townId) throw new IdentityConflictError(user.username);
      return { created: false };
    } catch (e) {
      if (!(e instanceof UserNotFoundException)) throw e;
    }
    await this.client.send(
      new AdminCreateUserCommand({
        UserPoolId: this.userPoolId,
        Username: user.username,
        UserAttributes: [
          { Name: 'name', Value: user.displayName },
          { Name: 'custom:role', Value: user.role },
          ...(user.townId ? [{ Name: 'custom:town', Value: user.townId }] : []),
          // An empty claim (an outside participant's) is no attribute at all, never an empty value.
          ...(user.scope && formatScope(user.scope) ? [{ Name: 'custom:scope', Value: formatScope(user.scope) }] : []),
        ],
      }),
    );
    // The group of its role (identity-stack: one group per role), for the console and reports by
    // group; the API itself reads custom:role. Adding a member again is accepted by Cognito.
    const { AdminAddUserToGroupCommand } = await sdk();
    await this.client.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: user.username, GroupName: user.role }));
    if (user.disabled) {
      const { AdminDisableUserCommand } = await sdk();
      await this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: user.username }));
    }
    return { created: true };
  }

  /**
   * Reads the account (AdminGetUser), decides the new claim as every directory does, and writes it
   * only if it changed: AdminUpdateUserAttributes, or AdminDeleteUserAttributes when no entry is left.
   * Typechecked only, like the rest of this adapter: Cognito cannot run here.
   *
   * Cognito has no conditional attribute update, so two changes to the same account at the same
   * moment (two grids given to one coordinator at once) can lose one; naming again repairs it.
   */
  async changeGridScope(username: string, townId: string, change: GridScopeChange): Promise<{ changed: boolean }> {
    const {
      AdminDeleteUserAttributesCommand,
      AdminGetUserCommand,
      AdminUpdateUserAttributesCommand,
      CognitoIdentityProviderClient,
      UserNotFoundException,
    } = await sdk();
    this.client ??= new CognitoIdentityProviderClient({});
    let attributes: Array<{ Name?: string | undefined; Value?: string | undefined }>;
    try {
      attributes =
        (await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }))).UserAttributes ?? [];
    } catch (e) {
      if (!(e instanceof UserNotFoundException)) throw e;
      if (change.add !== undefined) throw new IdentityScopeError(username, 'unknown_account');
      return { changed: false };
    }
    const attr = (name: string) => attributes.find((a) => a.Name === name)?.Value;
    const { scope, changed } = gridScopeAfter(
      { username, role: attr('custom:role'), townId: attr('custom:town'), scope: attr('custom:scope') },
      townId,
      change,
    );
    if (!changed) return { changed: false };
    const target = { UserPoolId: this.userPoolId, Username: username };
    if (scope)
      await this.client.send(new AdminUpdateUserAttributesCommand({ ...target, UserAttributes: [{ Name: 'custom:scope', Value: scope }] }));
    else await this.client.send(new AdminDeleteUserAttributesCommand({ ...target, UserAttributeNames: ['custom:scope'] }));
    return { changed: true };
  }

  /**
   * A coordinator's account following the record: the grid entries changed as changeGridScope does
   * (one read, one write of the claim at most), then AdminEnableUser, or AdminDisableUser followed by
   * AdminUserGlobalSignOut (its refresh tokens stop working; ID tokens already issued are refused by
   * the town's revocation list until they expire). Each call is idempotent.
   */
  async followRecord(username: string, townId: string, state: AccountState): Promise<void> {
    const {
      AdminDeleteUserAttributesCommand,
      AdminDisableUserCommand,
      AdminEnableUserCommand,
      AdminGetUserCommand,
      AdminUpdateUserAttributesCommand,
      AdminUserGlobalSignOutCommand,
      CognitoIdentityProviderClient,
      UserNotFoundException,
    } = await sdk();
    this.client ??= new CognitoIdentityProviderClient({});
    const target = { UserPoolId: this.userPoolId, Username: username };
    let attributes: Array<{ Name?: string | undefined; Value?: string | undefined }>;
    try {
      attributes = (await this.client.send(new AdminGetUserCommand(target))).UserAttributes ?? [];
    } catch (e) {
      if (!(e instanceof UserNotFoundException)) throw e;
      if (state.enabled) throw new IdentityScopeError(username, 'unknown_account');
      return;
    }
    const attr = (name: string) => attributes.find((a) => a.Name === name)?.Value;
    const account = { username, role: attr('custom:role'), townId: attr('custom:town'), scope: attr('custom:scope') };
    if (account.townId !== townId) throw new IdentityScopeError(username, 'other_town');
    let scope = account.scope ?? '';
    for (const remove of state.remove ?? []) scope = gridScopeAfter({ ...account, scope }, townId, { remove }).scope;
    for (const add of state.add ?? []) scope = gridScopeAfter({ ...account, scope }, townId, { add }).scope;
    if (scope !== (account.scope ?? '')) {
      if (scope)
        await this.client.send(
          new AdminUpdateUserAttributesCommand({ ...target, UserAttributes: [{ Name: 'custom:scope', Value: scope }] }),
        );
      else await this.client.send(new AdminDeleteUserAttributesCommand({ ...target, UserAttributeNames: ['custom:scope'] }));
    }
    if (state.enabled) await this.client.send(new AdminEnableUserCommand(target));
    else {
      await this.client.send(new AdminDisableUserCommand(target));
      await this.client.send(new AdminUserGlobalSignOutCommand(target));
    }
  }

  /**
   * A staff account following its record: AdminGetUser, the role and claim decided as every directory
   * does; a new role first moves the account to that role's group (AdminAddUserToGroup, then
   * AdminRemoveUserFromGroup of the old one); the claims written when they differ
   * (AdminUpdateUserAttributes; AdminDeleteUserAttributes for an
   * empty claim), then AdminEnableUser, or AdminDisableUser. Every call ends with
   * AdminUserGlobalSignOut unless it only enables: a role or scope change is read from the next sign-in,
   * so refresh tokens holding the old claims are ended; ID tokens already issued are refused by the
   * town's revocation list. Typechecked here, exercised against a fake pool in cognito.test.ts.
   */
  async followStaff(username: string, townId: string, state: StaffAccountState): Promise<void> {
    const {
      AdminAddUserToGroupCommand,
      AdminRemoveUserFromGroupCommand,
      AdminDeleteUserAttributesCommand,
      AdminDisableUserCommand,
      AdminEnableUserCommand,
      AdminGetUserCommand,
      AdminUpdateUserAttributesCommand,
      AdminUserGlobalSignOutCommand,
      CognitoIdentityProviderClient,
      UserNotFoundException,
    } = await sdk();
    this.client ??= new CognitoIdentityProviderClient({});
    const target = { UserPoolId: this.userPoolId, Username: username };
    let got: {
      UserAttributes?: Array<{ Name?: string | undefined; Value?: string | undefined }> | undefined;
      Enabled?: boolean | undefined;
    };
    try {
      got = await this.client.send(new AdminGetUserCommand(target));
    } catch (e) {
      if (!(e instanceof UserNotFoundException)) throw e;
      if (state.enabled) throw new IdentityScopeError(username, 'unknown_account');
      return;
    }
    const attr = (name: string) => got.UserAttributes?.find((a) => a.Name === name)?.Value;
    const account = { username, role: attr('custom:role'), townId: attr('custom:town'), scope: attr('custom:scope') };
    const { role, scope } = staffAccountAfter(account, townId, state);
    const claimsChanged = role !== account.role || scope !== (account.scope ?? '');
    // A new role moves the account between the per-role groups BEFORE custom:role is written: if a
    // call fails, the same request again still sees the old role and moves it again (adding a member
    // twice, or removing one already gone, is accepted), so the groups never lag the claim.
    if (role !== account.role) {
      await this.client.send(new AdminAddUserToGroupCommand({ ...target, GroupName: role }));
      if (account.role) await this.client.send(new AdminRemoveUserFromGroupCommand({ ...target, GroupName: account.role }));
    }
    const updates = [
      ...(role !== account.role ? [{ Name: 'custom:role', Value: role }] : []),
      ...(scope && scope !== (account.scope ?? '') ? [{ Name: 'custom:scope', Value: scope }] : []),
    ];
    if (updates.length) await this.client.send(new AdminUpdateUserAttributesCommand({ ...target, UserAttributes: updates }));
    if (!scope && account.scope)
      await this.client.send(new AdminDeleteUserAttributesCommand({ ...target, UserAttributeNames: ['custom:scope'] }));
    if (state.enabled) {
      if (got.Enabled === false) await this.client.send(new AdminEnableUserCommand(target));
      if (claimsChanged) await this.client.send(new AdminUserGlobalSignOutCommand(target));
    } else {
      await this.client.send(new AdminDisableUserCommand(target));
      await this.client.send(new AdminUserGlobalSignOutCommand(target));
    }
  }
}

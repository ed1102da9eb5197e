import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { formatScope } from '@gridline/domain';
import { IdentityConflictError, type IdentityDirectory, type NewUser } from './directory';

// Loaded on first use only: the SDK client costs ~125 ms of cold start that most requests never need.
const sdk = () => import('@aws-sdk/client-cognito-identity-provider');

/**
 * The deployed directory: Cognito creates the account and e-mails or texts the one-time password
 * itself, so none is returned. Cognito cannot run on this machine; this adapter is typechecked here
 * and exercised only in a deployed environment.
 */
export class CognitoDirectory implements IdentityDirectory {
  private client: CognitoIdentityProviderClient | undefined;
  constructor(private readonly userPoolId: string) {}

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
          ...(user.scope ? [{ Name: 'custom:scope', Value: formatScope(user.scope) }] : []),
        ],
      }),
    );
    return { created: true };
  }
}

import type { IdentityDirectory } from '@gridline/identity';

let directory: IdentityDirectory | undefined;

/** Installs the account directory: the local runtime and tests pass the local one. */
export function useDirectory(d: IdentityDirectory) {
  directory = d;
}

/** The account directory: Cognito when deployed (GRIDLINE_USER_POOL_ID set), else the installed one. */
export async function accounts(): Promise<IdentityDirectory> {
  if (directory) return directory;
  const pool = process.env.GRIDLINE_USER_POOL_ID;
  if (pool) {
    const { CognitoDirectory } = await import('@gridline/identity/cognito');
    directory = new CognitoDirectory(pool);
    return directory;
  }
  throw new Error('No identity directory: set GRIDLINE_USER_POOL_ID or install one with useDirectory()');
}

export { createJwtAuthorizer, stringifyClaims } from './authorizer';
export {
  type AccountState,
  type DirectoryUser,
  generatePassword,
  type GridScopeChange,
  gridScopeAfter,
  IdentityConflictError,
  type IdentityDirectory,
  IdentityScopeError,
  type IdentityScopeRefusal,
  LocalDirectory,
  type NewUser,
  type StaffAccountState,
  staffAccountAfter,
} from './directory';
export { LOCAL_CLIENT_ID, loadSigningKey, type SigningKey, signIdToken, TOKEN_LIFETIME_SECONDS } from './issuer';

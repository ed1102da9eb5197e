export { createJwtAuthorizer, stringifyClaims } from './authorizer';
export {
  type DirectoryUser,
  generatePassword,
  IdentityConflictError,
  type IdentityDirectory,
  LocalDirectory,
  type NewUser,
} from './directory';
export { LOCAL_CLIENT_ID, loadSigningKey, type SigningKey, signIdToken, TOKEN_LIFETIME_SECONDS } from './issuer';

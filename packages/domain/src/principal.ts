import * as z from './common/zod';
import { AppError } from './errors';
import { townIdSchema, type TownId } from './ids';
import { type CountyRole, isCountyRole, isTownRole, roleSchema, type TownRole } from './roles';

/** The longest scope claim a token may carry (the user pool's attribute allows 2,048). */
export const SCOPE_CLAIM_MAX_LENGTH = 2000;

/**
 * Claims as the HTTP API JWT authorizer hands them to a function: every value a string.
 * The same shape comes from Cognito ID tokens and from the local issuer.
 */
export const verifiedClaimsSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  'cognito:username': z.string().check(z.minLength(1)),
  token_use: z.literal('id'),
  'custom:role': roleSchema,
  'custom:town': z.optional(townIdSchema),
  'custom:scope': z.optional(z.string().check(z.maxLength(SCOPE_CLAIM_MAX_LENGTH))),
});
export type VerifiedClaims = z.infer<typeof verifiedClaimsSchema>;

export const scopeSchema = z.object({
  communities: z.array(z.string()),
  grids: z.array(z.string()),
  /** Explicit grants beyond the role, e.g. `key_groups` (重点人群) — claim entries `perm:<name>`. */
  permissions: z.optional(z.array(z.string())),
});
export type Scope = z.infer<typeof scopeSchema>;

export type CountyPrincipal = { kind: 'county'; userId: string; username: string; role: CountyRole };
export type TownPrincipal = {
  kind: 'town';
  userId: string;
  username: string;
  role: TownRole;
  townId: TownId;
  scope: Scope;
};
export type Principal = CountyPrincipal | TownPrincipal;

/** Scope claim: space-separated `community:<id>` and `grid:<id>` entries; empty means the whole town. */
export function parseScope(raw: string | undefined): Scope {
  const scope: Scope = { communities: [], grids: [] };
  const permissions: string[] = [];
  for (const part of (raw ?? '').split(/\s+/).filter(Boolean)) {
    const [kind, id] = part.split(':');
    if (!id) continue;
    if (kind === 'community') scope.communities.push(id);
    else if (kind === 'grid') scope.grids.push(id);
    else if (kind === 'perm') permissions.push(id);
  }
  return permissions.length ? { ...scope, permissions } : scope;
}

export function formatScope(scope: Scope): string {
  return [
    ...scope.communities.map((c) => `community:${c}`),
    ...scope.grids.map((g) => `grid:${g}`),
    ...(scope.permissions ?? []).map((p) => `perm:${p}`),
  ].join(' ');
}

/** The scope a town's first admin is created with: the whole town, and the key-group permission granted explicitly. */
export const FIRST_ADMIN_SCOPE: Scope = { communities: [], grids: [], permissions: ['key_groups'] };

/** Whether the principal holds an explicit permission (granted in the scope claim, never implied by a role). */
export const hasPermission = (p: { scope: Scope }, name: string) => (p.scope.permissions ?? []).includes(name);

/** Turns verified claims into the principal a handler works with; anything inconsistent is a 403. */
export function principalFromClaims(raw: unknown): Principal {
  const parsed = verifiedClaimsSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('auth.claims_invalid', 403, 'The sign-in token does not carry valid Gridline claims.');
  const c = parsed.data;
  const role = c['custom:role'];
  const base = { userId: c.sub, username: c['cognito:username'] };
  if (isCountyRole(role)) {
    if (c['custom:town']) throw new AppError('auth.claims_invalid', 403, 'A county account cannot belong to a town.');
    return { kind: 'county', role, ...base };
  }
  if (isTownRole(role)) {
    const townId = c['custom:town'];
    if (!townId) throw new AppError('auth.claims_invalid', 403, 'A town account must name its town.');
    return { kind: 'town', role, townId, scope: parseScope(c['custom:scope']), ...base };
  }
  throw new AppError('auth.claims_invalid', 403, 'Unknown role.');
}

import { ROLES } from '@gridline/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRUSTED_ATTRIBUTES } from '../../src/identity-stack';
import { resourcesOf, type Synthesized, type Json } from '../support';

/** Assertions on the synthesised app; `get` returns the app synthesised once by the test file. */
export function identitySpecs(get: () => Synthesized) {
  let s: Synthesized;
  let pool: Json;
  let client: Json;
  beforeAll(() => {
    s = get();
    pool = Object.values(resourcesOf(s.t.identity, 'AWS::Cognito::UserPool'))[0]?.Properties as Json;
    client = Object.values(resourcesOf(s.t.web, 'AWS::Cognito::UserPoolClient'))[0]?.Properties as Json;
  });

  describe('the user pool', () => {
    it('defines the town, role and scope claims as custom attributes; town cannot change after creation', () => {
      const schema = pool.Schema as Array<Json>;
      for (const name of TRUSTED_ATTRIBUTES) expect(schema.find((a) => a.Name === name)?.AttributeDataType).toBe('String');
      expect(schema.find((a) => a.Name === 'town')?.Mutable).toBe(false);
    });

    it('lets no user write the town, role or scope claim through any app client', () => {
      const clients = [s.t.identity, s.t.web].flatMap((t) => Object.values(resourcesOf(t, 'AWS::Cognito::UserPoolClient')));
      expect(clients).toHaveLength(2);
      for (const c of clients) {
        const writable = c.Properties?.WriteAttributes as string[];
        expect(writable.length).toBeGreaterThan(0);
        expect(writable.filter((a) => a.startsWith('custom:'))).toEqual([]);
        expect(c.Properties?.ReadAttributes).toEqual(expect.arrayContaining(TRUSTED_ATTRIBUTES.map((a) => `custom:${a}`)));
      }
    });

    it('requires MFA of every user (so of county and town admins), with authenticator apps and no SMS', () => {
      expect(pool.MfaConfiguration).toBe('ON');
      expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    });

    it('has a strong password policy', () => {
      const p = pool.Policies.PasswordPolicy;
      expect(p.MinimumLength).toBeGreaterThanOrEqual(12);
      expect([p.RequireLowercase, p.RequireUppercase, p.RequireNumbers, p.RequireSymbols]).toEqual([true, true, true, true]);
    });

    it('allows no self sign-up: administrators create every account', () => {
      expect(pool.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    });

    it('is protected from deletion and retained', () => {
      expect(pool.DeletionProtection).toBe('ACTIVE');
      const r = Object.values(resourcesOf(s.t.identity, 'AWS::Cognito::UserPool'))[0];
      expect(r?.DeletionPolicy).toBe('Retain');
    });

    it('has one group per role', () => {
      const groups = Object.values(resourcesOf(s.t.identity, 'AWS::Cognito::UserPoolGroup')).map((g) => g.Properties?.GroupName);
      expect(groups.sort()).toEqual([...ROLES].sort());
    });

    it('has a hosted login domain', () => {
      const domains = Object.values(resourcesOf(s.t.identity, 'AWS::Cognito::UserPoolDomain'));
      expect(domains).toHaveLength(1);
      expect(JSON.stringify(domains[0]?.Properties?.Domain)).toContain('gridline-demo-');
    });
  });

  describe('the CLI client', () => {
    it('signs in with password (then the MFA challenge), has no secret and no hosted login', () => {
      const cli = Object.values(resourcesOf(s.t.identity, 'AWS::Cognito::UserPoolClient'))[0]?.Properties;
      expect(cli.GenerateSecret).toBe(false);
      expect(cli.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH']));
      expect(cli.AllowedOAuthFlows).toBeUndefined();
    });
  });

  describe('the web client', () => {
    it('is a public client using the authorization-code grant (PKCE from the browser), back to the site', () => {
      expect(client.GenerateSecret).toBe(false);
      expect(client.AllowedOAuthFlows).toEqual(['code']);
      expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
      expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'profile']));
      expect(JSON.stringify(client.CallbackURLs)).toContain('/login/callback');
      expect(JSON.stringify(client.LogoutURLs)).toContain('/login?reason=signedOut');
      expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    });
  });
}

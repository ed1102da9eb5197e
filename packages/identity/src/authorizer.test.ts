import { base64url, SignJWT } from 'jose';
import { principalFromClaims } from '@gridline/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthorizer } from './authorizer';
import type { DirectoryUser } from './directory';
import { LOCAL_CLIENT_ID, loadSigningKey, type SigningKey, signIdToken } from './issuer';

const ISSUER = 'http://issuer.test/auth';
const user: DirectoryUser = {
  sub: 's-1',
  username: 'qingshi.admin',
  displayName: '王建国',
  role: 'town_admin',
  townId: 'qingshi',
  scope: '',
};

let key: SigningKey;
let authorize: ReturnType<typeof createJwtAuthorizer>;

beforeAll(async () => {
  key = await loadSigningKey();
  authorize = createJwtAuthorizer({ issuer: ISSUER, audience: [LOCAL_CLIENT_ID], jwks: { keys: [key.publicJwk] } });
});

const swapPayload = (token: string, change: (claims: Record<string, unknown>) => void) => {
  const [h, p, s] = token.split('.') as [string, string, string];
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
  change(claims);
  return `${h}.${base64url.encode(JSON.stringify(claims))}.${s}`;
};

describe('the JWT check the local API shares with API Gateway', () => {
  it('accepts a valid ID token and passes claims as strings', async () => {
    const claims = await authorize(`Bearer ${await signIdToken(key, ISSUER, user)}`);
    expect(claims).toMatchObject({ 'custom:town': 'qingshi', 'custom:role': 'town_admin', 'cognito:groups': '[town_admin]', sub: 's-1' });
    expect(typeof claims?.exp).toBe('string');
  });

  it('mints and accepts an outside participant’s token: its town and role, no scope', async () => {
    const participant: DirectoryUser = {
      sub: 's-2',
      username: 'qingshi.lawyer',
      displayName: '张律师',
      role: 'participant',
      townId: 'qingshi',
      scope: '',
    };
    const claims = await authorize(`Bearer ${await signIdToken(key, ISSUER, participant)}`);
    expect(claims).toMatchObject({ 'custom:town': 'qingshi', 'custom:role': 'participant', 'cognito:groups': '[participant]' });
    expect(claims?.['custom:scope']).toBeUndefined();
    expect(principalFromClaims(claims)).toMatchObject({
      kind: 'town',
      role: 'participant',
      townId: 'qingshi',
      scope: { communities: [], grids: [] },
    });
  });

  it('refuses a missing header', async () => {
    expect(await authorize(undefined)).toBeUndefined();
    expect(await authorize('Bearer ')).toBeUndefined();
  });

  it('refuses a token signed by another key', async () => {
    const other = await loadSigningKey();
    expect(await authorize(`Bearer ${await signIdToken({ ...other, kid: key.kid }, ISSUER, user)}`)).toBeUndefined();
  });

  it('refuses alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({ iss: ISSUER, aud: LOCAL_CLIENT_ID, sub: 's', exp: now + 600, 'custom:role': 'county_admin', token_use: 'id' }),
    );
    expect(await authorize(`Bearer ${header}.${payload}.`)).toBeUndefined();
  });

  it('refuses an expired token, a wrong issuer and a wrong audience', async () => {
    expect(
      await authorize(`Bearer ${await signIdToken(key, ISSUER, user, { nowSeconds: 1_000_000, lifetimeSeconds: 60 })}`),
    ).toBeUndefined();
    expect(await authorize(`Bearer ${await signIdToken(key, 'http://evil.test/auth', user)}`)).toBeUndefined();
    expect(await authorize(`Bearer ${await signIdToken(key, ISSUER, user, { audience: 'another-client' })}`)).toBeUndefined();
  });

  it('refuses a token whose town claim was changed after signing', async () => {
    const tampered = swapPayload(await signIdToken(key, ISSUER, user), (c) => {
      c['custom:town'] = 'taoyuan';
    });
    expect(await authorize(`Bearer ${tampered}`)).toBeUndefined();
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    const forged = await new SignJWT({ 'custom:role': 'county_admin', token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setIssuer(ISSUER)
      .setAudience(LOCAL_CLIENT_ID)
      .setExpirationTime('10m')
      .sign(secret);
    expect(await authorize(`Bearer ${forged}`)).toBeUndefined();
  });

  it('takes a verified token on trust only while its time claims hold and never for a changed token', async () => {
    let clock = Date.now();
    const timed = createJwtAuthorizer({ issuer: ISSUER, audience: [LOCAL_CLIENT_ID], jwks: { keys: [key.publicJwk] }, now: () => clock });
    const token = await signIdToken(key, ISSUER, user, { nowSeconds: Math.floor(clock / 1000), lifetimeSeconds: 600 });
    expect((await timed(`Bearer ${token}`))?.sub).toBe('s-1');
    expect((await timed(`Bearer ${token}`))?.sub).toBe('s-1');
    const tampered = swapPayload(token, (c) => {
      c['custom:town'] = 'taoyuan';
    });
    expect(await timed(`Bearer ${tampered}`)).toBeUndefined();
    clock += 601_000;
    expect(await timed(`Bearer ${token}`)).toBeUndefined();
  });
});

import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { scanAll } from './admin';
import { LocalKeyWrapper, townVault, useKeyWrapper } from './vault';

afterEach(() => useKeyWrapper(undefined));

describe('the town vault (field-level encryption of personal data)', () => {
  it('round-trips values and binds each ciphertext to its town and field', async () => {
    const v = await townVault('vaulta');
    const sealed = v.encrypt('idNumber', '330523199512069810');
    expect(sealed).not.toContain('330523');
    expect(v.decrypt('idNumber', sealed)).toBe('330523199512069810');
    expect(() => v.decrypt('phone', sealed)).toThrow();
    const other = await townVault('vaultb');
    expect(() => other.decrypt('idNumber', sealed)).toThrow();
    // Same value, new ciphertext every time; the look-up hash is stable within a town only.
    expect(v.encrypt('idNumber', '330523199512069810')).not.toBe(sealed);
    expect(v.lookupHash('idNumber', '330523199512069810')).toBe(v.lookupHash('idNumber', '330523199512069810'));
    expect(other.lookupHash('idNumber', '330523199512069810')).not.toBe(v.lookupHash('idNumber', '330523199512069810'));
  });

  it('creates one data key per town even when first uses race, and stores it only wrapped', async () => {
    const vaults = await Promise.all([townVault('vaultc', 1), townVault('vaultc', 2), townVault('vaultc', 3)]);
    const sealed = vaults[0]?.encrypt('phone', '13812345678') as string;
    for (const v of vaults) expect(v.decrypt('phone', sealed)).toBe('13812345678');
    const keys = (await scanAll()).filter((i) => i.pk === 'T#vaultc#VAULT');
    expect(keys).toHaveLength(1);
    expect(String(keys[0]?.wrapped)).toMatch(/^v1\./);
  });

  it('cannot open a town key under another master key', async () => {
    await townVault('vaultd');
    useKeyWrapper(new LocalKeyWrapper(randomBytes(32)));
    await expect(townVault('vaultd')).rejects.toThrow();
  });
});

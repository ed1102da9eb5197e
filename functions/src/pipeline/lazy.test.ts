import { describe, expect, it } from 'vitest';
import { lazy } from './lazy';

describe('lazy modules', () => {
  it('imports once and hands every later call the same promise', async () => {
    let loads = 0;
    const mod = lazy(async () => ({ n: ++loads }));
    const [a, b] = await Promise.all([mod(), mod()]);
    expect(a).toBe(b);
    expect(await mod()).toBe(a);
    expect(loads).toBe(1);
  });

  it('tries a failed import again on the next call', async () => {
    let loads = 0;
    const mod = lazy(async () => {
      loads += 1;
      if (loads === 1) throw new Error('not yet');
      return { ok: true };
    });
    await expect(mod()).rejects.toThrow('not yet');
    expect(await mod()).toEqual({ ok: true });
    expect(loads).toBe(2);
  });
});

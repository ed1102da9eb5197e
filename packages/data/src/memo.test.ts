import { describe, expect, it } from 'vitest';
import { forget, remembered } from './memo';

describe('remembered', () => {
  it('reads once within the time to live, per key, and again after forget', async () => {
    let reads = 0;
    const load = async () => ++reads;
    expect(await remembered('t1|x', load)).toBe(1);
    expect(await remembered('t1|x', load)).toBe(1);
    expect(await remembered('t2|x', load)).toBe(2);
    forget('t1|');
    expect(await remembered('t1|x', load)).toBe(3);
    expect(await remembered('t2|x', load)).toBe(2);
    expect(await remembered('t3|x', load, 0)).toBe(4);
    expect(await remembered('t3|x', load, 0)).toBe(5);
  });

  it('keeps no failed read', async () => {
    let fail = true;
    const load = async () => {
      if (fail) throw new Error('down');
      return 'ok';
    };
    await expect(remembered('t4|x', load)).rejects.toThrow('down');
    fail = false;
    expect(await remembered('t4|x', load)).toBe('ok');
  });
});

import { describe, expect, it } from 'vitest';
import { itemSize, minReadUnits } from './size';

describe('itemSize', () => {
  it('counts names and string values as UTF-8 bytes', () => {
    expect(itemSize({ pk: 'T#a' })).toBe(2 + 3);
    expect(itemSize({ 姓名: '张三' })).toBe(6 + 6);
  });

  it('sizes a number by its significant digits: leading and trailing zeros are not stored', () => {
    expect(itemSize({ n: 0 })).toBe(1 + 2);
    expect(itemSize({ n: 7 })).toBe(1 + 2);
    expect(itemSize({ n: 1000 })).toBe(1 + 2);
    expect(itemSize({ n: 0.001 })).toBe(1 + 2);
    expect(itemSize({ n: -1200 })).toBe(1 + 2);
    expect(itemSize({ n: 1234 })).toBe(1 + 3);
    expect(itemSize({ n: 12.345 })).toBe(1 + 4);
    expect(itemSize({ n: 1_000_001 })).toBe(1 + 5);
  });

  it('adds three bytes per list or map and one per element', () => {
    expect(itemSize({ l: ['ab', true] })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemSize({ m: { a: 'x' } })).toBe(1 + 3 + (1 + 1) + 1);
  });
});

describe('minReadUnits', () => {
  it('prices an eventually consistent read at half a unit per started 4 KB, at least half a unit', () => {
    expect(minReadUnits(0)).toBe(0.5);
    expect(minReadUnits(4096)).toBe(0.5);
    expect(minReadUnits(4097)).toBe(1);
    expect(minReadUnits(12_000)).toBe(1.5);
  });
});

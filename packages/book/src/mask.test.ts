import { describe, expect, it } from 'vitest';
import { maskNumbersInText } from './mask';

describe('maskNumbersInText', () => {
  it('masks ID and mobile numbers inside free text as the book masks its fields', () => {
    expect(maskNumbersInText('户主身份证330501199001011234，电话13812345678。')).toBe('户主身份证3305**********1234，电话138****5678。');
    expect(maskNumbersInText('id 33050119900101123X and +86 138 1234 5678')).toBe('id 3305**********123X and +86 138****5678');
  });

  it('leaves other numbers alone: dates, counts, long runs of digits', () => {
    const text = '2026-11-27 见到3人，门牌12号，编号123456789012345678901';
    expect(maskNumbersInText(text)).toBe(text);
  });
});

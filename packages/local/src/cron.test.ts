import { describe, expect, it } from 'vitest';
import { cronMatcher, zonedParts } from './cron';

describe('cron in Asia/Shanghai', () => {
  it('fires daily at 01:00 Shanghai time, which is 17:00 UTC the day before', () => {
    const fires = cronMatcher('0 1 * * ? *', 'Asia/Shanghai');
    expect(fires(new Date('2026-11-27T17:00:30Z'))).toBe(true);
    expect(fires(new Date('2026-11-28T01:00:00Z'))).toBe(false);
    expect(fires(new Date('2026-11-27T17:01:00Z'))).toBe(false);
  });

  it('handles the first of the month, lists, ranges, steps and weekdays (1 = Sunday)', () => {
    expect(cronMatcher('0 1 1 * ? *', 'Asia/Shanghai')(new Date('2026-11-30T17:00:00Z'))).toBe(true);
    expect(cronMatcher('0 1 1 1,4,7,10 ? *', 'Asia/Shanghai')(new Date('2026-11-30T17:00:00Z'))).toBe(false);
    expect(cronMatcher('*/15 8-18 ? * 2-6 *', 'Asia/Shanghai')(new Date('2026-11-30T02:30:00Z'))).toBe(true);
    expect(cronMatcher('*/15 8-18 ? * 2-6 *', 'Asia/Shanghai')(new Date('2026-11-29T02:30:00Z'))).toBe(false);
    expect(zonedParts(new Date('2026-11-29T02:30:00Z'), 'Asia/Shanghai').weekday).toBe(1);
  });

  it('refuses malformed expressions', () => {
    expect(() => cronMatcher('0 1 * *', 'Asia/Shanghai')).toThrow();
    expect(() => cronMatcher('x 1 * * ? *', 'Asia/Shanghai')).toThrow();
  });
});

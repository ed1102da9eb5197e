import { describe, expect, it } from 'vitest';
import { chineseNumeral, documentDate, organisation, termNumber } from './agreement';

describe('the agreement as printed', () => {
  it('dates it as a Chinese document does, without leading zeros, or in English', () => {
    expect(documentDate('2026-03-05', 'zh-CN')).toBe('2026年3月5日');
    expect(documentDate('2026-12-31', 'zh-CN')).toBe('2026年12月31日');
    expect(documentDate('2026-03-05', 'en')).toBe('5 March 2026');
    expect(documentDate('not a day', 'zh-CN')).toBe('not a day');
    expect(documentDate('2026-13-01', 'zh-CN')).toBe('2026-13-01');
  });

  it('numbers the terms 一、二、… 十、十一、… 二十、', () => {
    expect([1, 2, 9, 10, 11, 19, 20, 21, 99].map(chineseNumeral)).toEqual([
      '一',
      '二',
      '九',
      '十',
      '十一',
      '十九',
      '二十',
      '二十一',
      '九十九',
    ]);
    expect(chineseNumeral(0)).toBe('0');
    expect(termNumber(3, 'zh-CN')).toBe('三、');
    expect(termNumber(3, 'en')).toBe('3.');
  });

  it('names the organisation of the level that reached it, completing names that lack 社区 or 镇', () => {
    expect(organisation('town', { town: '青山镇' })).toEqual({ key: 'med.org.town', params: { town: '青山镇' } });
    expect(organisation('town', { town: '东湖街道' }).params).toEqual({ town: '东湖街道' });
    expect(organisation('town', { town: '青山' }).params).toEqual({ town: '青山镇' });
    expect(organisation('town', {}).params).toEqual({ town: '镇' });
    expect(organisation('community', { community: '和平社区' })).toEqual({ key: 'med.org.community', params: { community: '和平社区' } });
    expect(organisation('community', { community: '和平' }).params).toEqual({ community: '和平社区' });
    expect(organisation('community', {}).params).toEqual({ community: '社区' });
    expect(organisation('courtyard', { community: '和平社区', place: '三号院' })).toEqual({
      key: 'med.org.courtyard',
      params: { community: '和平社区', place: '三号院' },
    });
    expect(organisation('courtyard', {}).params).toEqual({ community: '', place: '' });
  });
});

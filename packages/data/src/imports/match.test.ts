import { describe, expect, it } from 'vitest';
import type { StoredPerson } from '../book';
import { headersKeyOf, issueOf, nearMiss, orgKey, sameAsStored } from './match';

// The import's matching is pure: names of units, header rows and stored people, without DynamoDB.

describe('import matching', () => {
  it('reduces unit names for matching: width, spaces and the 社区/居委会/网格 suffix', () => {
    expect(orgKey('东街 社区', 'community')).toBe('东街');
    expect(orgKey('东街居委会', 'community')).toBe('东街');
    expect(orgKey('第１网格', 'grid')).toBe('第1');
    // A name that is only the suffix is kept whole.
    expect(orgKey('网格', 'grid')).toBe('网格');
  });

  it('calls names one character apart a near miss, never equal or very short ones', () => {
    expect(nearMiss('东街', '东衔')).toBe(true);
    expect(nearMiss('东大街', '东街')).toBe(true);
    expect(nearMiss('东街', '东街')).toBe(false);
    expect(nearMiss('东', '西')).toBe(false);
    expect(nearMiss('东大街道', '东街')).toBe(false);
  });

  it('keys a header row by its normalised headers, so the same layout finds its mapping', () => {
    expect(headersKeyOf(['姓名', '身份证号'])).toBe(headersKeyOf(['姓名', '身份证号']));
    expect(headersKeyOf(['姓名', '身份证号'])).not.toBe(headersKeyOf(['身份证号', '姓名']));
    expect(headersKeyOf(['姓名'])).toHaveLength(22);
  });

  it('reports a book issue without the fields it does not have', () => {
    expect(issueOf({ severity: 'error', code: 'x', message: { zh: '错', en: 'bad' } })).toEqual({
      code: 'x',
      message: { zh: '错', en: 'bad' },
    });
  });

  it('finds a row the same as the stored person whatever the order of its tags', () => {
    const stored = {
      name: '张三',
      gender: 'male',
      relation: '户主',
      residenceType: 'registered',
      tags: ['elderly', 'disabled'],
      keyTags: [],
      phoneEnc: 'sealed',
    } as unknown as StoredPerson;
    const row = {
      name: '张三',
      gender: 'male',
      relation: '户主',
      residenceType: 'registered',
      tags: ['disabled', 'elderly'],
      keyTags: [],
      phone: '13800000000',
    } as never;
    const decrypt = () => '13800000000';
    expect(sameAsStored(row, stored, decrypt)).toBe(true);
    expect(sameAsStored({ ...(row as object), phone: '13900000000' } as never, stored, decrypt)).toBe(false);
  });
});

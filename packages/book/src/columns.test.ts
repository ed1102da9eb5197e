import { describe, expect, it } from 'vitest';
import { BOOK_COLUMNS, fieldForHeader, mapHeaders, normaliseHeader } from './columns';
import { defaultTagLists, indexTags, parseTags } from './tags';

describe('header mapping', () => {
  it.each([
    ['公民身份号码', 'idNumber'],
    ['身份证号', 'idNumber'],
    ['身份证号码', 'idNumber'],
    ['＊身份证号码', 'idNumber'],
    ['身份证号码*', 'idNumber'],
    ['手机号码', 'phone'],
    ['联系电话', 'phone'],
    ['电话', 'phone'],
    ['网格', 'grid'],
    ['所属网格', 'grid'],
    ['社区', 'community'],
    ['社区（村）', 'community'],
    ['所属社区', 'community'],
    ['出生年月日', 'birthDate'],
    ['出生日期（格式：2000-01-01）', 'birthDate'],
    ['户号', 'householdNo'],
    ['户编号', 'householdNo'],
    ['楼栋', 'courtyard'],
    ['院落', 'courtyard'],
    ['院落/楼栋', 'courtyard'],
    ['住址', 'door'],
    ['门牌号', 'door'],
    ['姓 名', 'name'],
    ['姓\u3000名', 'name'],
    ['姓名（必填）', 'name'],
    ['【姓名】', null],
    ['籍贯', null],
    ['', null],
  ])('%s → %s', (header, field) => {
    expect(fieldForHeader(header)).toBe(field);
  });

  it('maps every canonical header and alias to its own field', () => {
    for (const c of BOOK_COLUMNS) {
      expect(fieldForHeader(c.header)).toBe(c.field);
      for (const a of c.aliases) expect(fieldForHeader(a)).toBe(c.field);
    }
  });

  it('reports unknown and repeated columns and the required columns missing', () => {
    const map = mapHeaders(['姓名', '手机号码', '固定电话', '电话', '籍贯', '']);
    expect(map.fields).toEqual({ name: 0, phone: 1 });
    expect(map.issues.map((i) => [i.code, i.header])).toEqual([
      ['header.unknown_column', '固定电话'],
      ['header.duplicate_column', '电话'],
      ['header.unknown_column', '籍贯'],
    ]);
    expect(map.missing).toEqual(['householdNo', 'idNumber', 'community', 'grid', 'residenceType']);
  });

  it('normalises full-width brackets, spaces and marks', () => {
    expect(normaliseHeader(' ＊社区（村）： ')).toBe('社区(村)');
  });
});

describe('tags', () => {
  const index = indexTags(defaultTagLists());
  it.each([
    ['独居老人', ['elderly_alone'], [], []],
    ['空巢老人、残疾人', ['empty_nest', 'disabled'], [], []],
    ['低保/特困', ['low_income', 'extreme_poverty'], [], []],
    ['独居/空巢老人', ['elderly_alone', 'empty_nest'], [], []],
    ['低保户，刑满释放人员', ['low_income'], ['released_prisoner'], []],
    ['独居老人/残疾人; 留守儿童', ['elderly_alone', 'disabled', 'left_behind_child'], [], []],
    ['退役军人/优抚对象 社区矫正', ['veteran'], ['community_correction'], []],
    ['特困人员、低保户', ['extreme_poverty', 'low_income'], [], []],
    ['孕产妇、严重精神障碍患者', [], ['severe_mental'], ['孕产妇']],
  ])('%s', (cell, tags, keyTags, unknown) => {
    expect(parseTags(cell as string, index)).toMatchObject({ tags, keyTags, unknown });
  });

  it("follows a town's own list", () => {
    const town = indexTags({ specialGroups: [{ id: 'pregnant', label: { zh: '孕产妇' } }], keyGroups: [] });
    expect(parseTags('孕产妇、独居老人', town)).toEqual({ tags: ['pregnant'], keyTags: [], unknown: ['独居老人'], aliased: [] });
  });

  it('keeps 空巢老人 and 独居老人, 低保户 and 特困人员 apart, and says when a name was read through an alias', () => {
    expect(parseTags('空巢老人、独居老人、低保户、特困人员', index)).toEqual({
      tags: ['empty_nest', 'elderly_alone', 'low_income', 'extreme_poverty'],
      keyTags: [],
      unknown: [],
      aliased: [],
    });
    expect(parseTags('低保、五保户', index).aliased).toEqual([
      { written: '低保', id: 'low_income', label: '低保户' },
      { written: '五保户', id: 'extreme_poverty', label: '特困人员' },
    ]);
  });
});

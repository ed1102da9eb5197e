import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from './mask';
import { checkPhone } from './phone';
import { fullWidth } from './testing/arbitraries';

describe('checkPhone', () => {
  it.each([
    ['13812345678', '13812345678', 'mobile'],
    ['138 1234 5678', '13812345678', 'mobile'],
    ['138-1234-5678', '13812345678', 'mobile'],
    ['+86 138 1234 5678', '13812345678', 'mobile'],
    ['008613812345678', '13812345678', 'mobile'],
    ['8613812345678', '13812345678', 'mobile'],
    ['１３８１２３４５６７８', '13812345678', 'mobile'],
    ['="13812345678"', '13812345678', 'mobile'],
    ['19912345678', '19912345678', 'mobile'],
    ['0571-88886666', '0571-88886666', 'landline'],
    ['057188886666', '0571-88886666', 'landline'],
    ['(0571)88886666', '0571-88886666', 'landline'],
    ['（0571）8888666', '0571-8888666', 'landline'],
    ['0571－88886666', '0571-88886666', 'landline'],
    ['0571 8888 6666', '0571-88886666', 'landline'],
    ['0571-8888-6666', '0571-88886666', 'landline'],
    ['010-62345678', '010-62345678', 'landline'],
    ['02162345678', '021-62345678', 'landline'],
    ['0571-88886666-123', '0571-88886666-123', 'landline'],
    ['0571-88886666转123', '0571-88886666-123', 'landline'],
    ['0571-88886666 ext. 8', '0571-88886666-8', 'landline'],
  ])('%s is %s', (raw, value, kind) => {
    expect(checkPhone(raw)).toEqual({ ok: true, value, kind });
  });

  it.each([
    ['1381234567', 'phone.mobile'],
    ['138123456789', 'phone.mobile'],
    ['12812345678', 'phone.mobile'],
    ['13812345678转1', 'phone.mobile'],
    ['0571-123456', 'phone.landline'],
    ['0571-012345678', 'phone.landline'],
    ['88886666', 'phone.area_code'],
    ['13812345678、13912345678', 'phone.multiple'],
    ['13812345678 13912345678', 'phone.multiple'],
    ['13812345678/0571-88886666', 'phone.multiple'],
    ['无', 'phone.chars'],
    ['138abc45678', 'phone.chars'],
    ['1.38123E+10', 'phone.chars'],
    ['', 'phone.format'],
    ['12345', 'phone.mobile'],
    ['2345', 'phone.format'],
    ['010-12345678', 'phone.landline'],
  ])('%s is refused with %s', (raw, reason) => {
    expect(checkPhone(raw)).toMatchObject({ ok: false, reason });
  });

  it('accepts every mainland mobile number, however it is spaced or widened, and nothing else starting with 1', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1\d{10}$/), fc.array(fc.boolean(), { minLength: 11, maxLength: 11 }), (n, wide) => {
        const typed = [...n].map((c, i) => (wide[i] ? fullWidth(c) : c)).join('');
        const r = checkPhone(typed);
        expect(r.ok).toBe(/^1[3-9]/.test(n));
        if (r.ok) expect(r.value).toBe(n);
      }),
    );
  });

  it('gives canonical values that check to themselves', () => {
    const any = fc.oneof(fc.stringMatching(/^1[3-9]\d{9}$/), fc.stringMatching(/^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,4})?$/));
    fc.assert(
      fc.property(any, (raw) => {
        const r = checkPhone(raw);
        if (r.ok) expect(checkPhone(r.value)).toEqual(r);
      }),
    );
  });
});

describe('masking', () => {
  it('masks ID numbers as the issue shows', () => {
    expect(maskIdNumber('330523199512069810')).toBe('3305**********9810');
    expect(maskIdNumber('33052319990405567X')).toBe('3305**********567X');
    expect(maskIdNumber('123')).toBe('***');
  });

  it('masks phones as the issue shows', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0571-88886666')).toBe('0571-****6666');
    expect(maskPhone('010-1234567')).toBe('010-***4567');
    expect(maskPhone('0571-88886666-123')).toBe('0571-****6666');
    expect(maskPhone('12345')).toBe('*****');
  });

  it('never shows the middle of an ID number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(4, 14)).toBe('*'.repeat(10));
      }),
    );
  });
});

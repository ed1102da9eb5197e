import { describe, expect, it } from 'vitest';
import type { TownPrincipal } from '../principal';
import type { TownRole } from '../rules';
import { MB, XLSX_TYPE } from './api';
import { admitUpload, mayReadUpload } from './rules';

const as = (role: TownRole): TownPrincipal => ({
  kind: 'town',
  userId: 'u1',
  username: 'someone',
  role,
  townId: 'qingshi',
  scope: { communities: [], grids: [] },
});

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code: string; status: number }).code;
  }
  return undefined;
};

describe('admitting an upload slot', () => {
  it('answers the limit of the declared type', () => {
    expect(admitUpload(as('community_staff'), 'attachment', 'image/jpeg', 1000)).toBe(10 * MB);
    expect(admitUpload(as('mediator'), 'attachment', 'application/pdf', 1000)).toBe(20 * MB);
    expect(admitUpload(as('town_admin'), 'book_import', XLSX_TYPE, 49 * MB)).toBe(50 * MB);
  });

  it('refuses a type the purpose does not take, a size over the limit, and a role that may not upload', () => {
    expect(codeOf(() => admitUpload(as('town_admin'), 'attachment', 'text/html', 10))).toBe('upload.type_not_allowed');
    expect(codeOf(() => admitUpload(as('town_admin'), 'attachment', XLSX_TYPE, 10))).toBe('upload.type_not_allowed');
    expect(codeOf(() => admitUpload(as('town_admin'), 'attachment', 'image/png', 10 * MB + 1))).toBe('upload.too_large');
    expect(codeOf(() => admitUpload(as('town_admin'), 'book_import', 'text/csv', 50 * MB + 1))).toBe('upload.too_large');
    expect(codeOf(() => admitUpload(as('community_staff'), 'book_import', 'text/csv', 10))).toBe('upload.forbidden');
    expect(codeOf(() => admitUpload(as('auditor'), 'attachment', 'image/png', 10))).toBe('upload.forbidden');
  });
});

describe('who may read an upload', () => {
  it('book files: town admins only; attachments: the uploader, then whoever may read the matter it is attached to', () => {
    expect(mayReadUpload(as('town_admin'), { purpose: 'book_import', by: 'a' })).toBe(true);
    expect(mayReadUpload(as('community_staff'), { purpose: 'book_import', by: 'a' })).toBe(false);
    expect(mayReadUpload(as('auditor'), { purpose: 'attachment', by: 'a' })).toBe(false);
    expect(mayReadUpload(as('auditor'), { purpose: 'attachment', by: 'someone' })).toBe(true);
    const place = { townId: 'qingshi', gridId: 'g1', communityId: 'c1' };
    expect(mayReadUpload(as('auditor'), { purpose: 'attachment', by: 'a' }, place)).toBe(true);
    expect(mayReadUpload(as('grid_coordinator'), { purpose: 'attachment', by: 'a' }, place)).toBe(false);
    expect(mayReadUpload(as('town_admin'), { purpose: 'attachment', by: 'a' }, { ...place, townId: 'taoyuan' })).toBe(false);
  });
});

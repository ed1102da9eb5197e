import { describe, expect, it } from 'vitest';
import { fileProblem, MAX_IMPORT_BYTES, MAX_INLINE_BYTES, uploadTypeOf } from './files';

describe('a book file before it is sent', () => {
  it('goes to storage as XLSX or CSV by its extension, whatever type the browser gave it', () => {
    expect(uploadTypeOf('台账.XLSX')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(uploadTypeOf('book.csv')).toBe('text/csv');
    expect(uploadTypeOf('book.txt')).toBe('text/csv');
    expect(uploadTypeOf('old.xls')).toBeUndefined();
  });

  it('may be up to 50 MB when uploaded to storage, 4.4 MB when it still goes inline', () => {
    expect(fileProblem({ name: 'big.xlsx', size: 30_000_000 })).toBeUndefined();
    expect(fileProblem({ name: 'huge.csv', size: MAX_IMPORT_BYTES + 1 })).toEqual({
      key: 'imp.tooBig',
      params: { size: '50.0 MB', limit: '50.0 MB' },
    });
    expect(fileProblem({ name: 'old.xls', size: MAX_INLINE_BYTES + 1 })?.params?.limit).toBe('4.4 MB');
    expect(fileProblem({ name: 'empty.csv', size: 0 })?.key).toBe('imp.emptyFile');
    expect(fileProblem({ name: 'notes.pdf', size: 10 })?.key).toBe('imp.wrongType');
  });
});

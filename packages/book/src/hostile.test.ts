import { describe, expect, it } from 'vitest';
import { importBook } from './index';
import { TODAY } from './testing/arbitraries';
import { hostileFiles } from './testing/hostile';

// Each hostile file must be refused as a whole, with a file error a user can act on, within the
// issue's one second (the machine running the tests is shared; the bound is not a tuned figure).
describe('hostile files', () => {
  const files = hostileFiles();

  it('the unclosed-rows workbook is the 3 KB file of the report', () => {
    expect(files.find((f) => f.name === 'unclosed rows')?.bytes.length).toBeLessThan(4096);
  });

  for (const file of files) {
    it(`refuses ${file.name} within a second`, () => {
      const started = performance.now();
      const r = importBook(file.bytes, { today: TODAY });
      const ms = performance.now() - started;
      expect(r.fileErrors.length).toBeGreaterThan(0);
      expect(file.codes).toContain(r.fileErrors[0]?.code);
      expect(r.fileErrors[0]?.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.people).toEqual([]);
      expect(ms).toBeLessThan(1000);
    });
  }
});

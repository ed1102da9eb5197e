import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The files of the README's "path of one route" list, in order: the first code span of each item. */
function listedPath(route: string): string[] {
  const start = readme.indexOf(`<!-- path:${route} -->`);
  const end = readme.indexOf('<!-- /path -->', start);
  if (start < 0 || end < 0) return [];
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => /^\d+\. /.test(line))
    .map((line) => /`([^`]+)`/.exec(line)?.[1] ?? '');
}

describe("the README's path of book.person.create", () => {
  const files = listedPath('book.person.create');

  it('lists at most 8 files, from the route table to the transaction', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThanOrEqual(8);
    expect(files[0]).toBe('functions/src/routes.ts');
  });

  it('names files that exist', () => {
    for (const file of files) expect(existsSync(join(root, file)), file).toBe(true);
  });

  it('passes through the route and its handler', () => {
    const spec = files.find((f) => f.endsWith('/routes.ts') && f !== 'functions/src/routes.ts');
    expect(spec && readFileSync(join(root, spec), 'utf8')).toContain("id: 'book.person.create'");
    const handlers = files.find((f) => f.endsWith('/handlers.ts'));
    expect(handlers && readFileSync(join(root, handlers), 'utf8')).toContain('export const addPerson');
  });
});

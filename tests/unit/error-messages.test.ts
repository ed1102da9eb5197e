import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MATTER_REFUSALS } from '@gridline/domain';
import { describe, expect, it } from 'vitest';

/*
 * Every refusal a user can meet (a 4xx the API sends) has a message in both web catalogs, so a
 * Chinese page never falls back to the server's English text. The codes are read from the source: the
 * literal first argument of `new AppError('code', 4xx, …)`, a transaction's `conflictCode: 'code'`
 * (409), org rules' `${kind}.code` templates expanded over the org kinds, and the matter ladder's
 * refusals, which are data (`MATTER_REFUSALS`) rather than thrown errors.
 */

const root = join(import.meta.dirname, '..', '..');
const ORG_KINDS = ['community', 'grid', 'courtyard'];
/** Codes no user meets: a job's own input check, and the allowance counter's refusal (turned into `reveal.rate_limited`). */
const NOT_SHOWN = new Set(['job.invalid', 'quota.exceeded']);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'testing') continue;
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function userFacingCodes(): Set<string> {
  const files = [
    ...readdirSync(join(root, 'packages')).flatMap((pkg) => {
      try {
        return sources(join(root, 'packages', pkg, 'src'));
      } catch {
        return [];
      }
    }),
    ...sources(join(root, 'functions', 'src')),
  ];
  const codes = new Set<string>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/AppError\(\s*'([a-z_]+\.[a-z_.]+)',\s*(\d{3})/g)) if (m[2]?.startsWith('4')) codes.add(m[1] as string);
    for (const m of text.matchAll(/AppError\(\s*`\$\{kind\}\.([a-z_]+)`,\s*(\d{3})/g))
      if (m[2]?.startsWith('4')) for (const k of ORG_KINDS) codes.add(`${k}.${m[1]}`);
    for (const m of text.matchAll(/conflictCode: '([a-z_]+\.[a-z_.]+)'/g)) codes.add(m[1] as string);
  }
  for (const c of Object.keys(MATTER_REFUSALS)) codes.add(c);
  for (const c of NOT_SHOWN) codes.delete(c);
  return codes;
}

const catalog = (lang: 'zh-CN' | 'en') =>
  ['', '.shell'].map((part) => readFileSync(join(root, 'web', 'src', 'lib', 'i18n', `${lang}${part}.ts`), 'utf8')).join('\n');

describe('messages for refusals', () => {
  const codes = [...userFacingCodes()].sort();
  it('finds the codes in the source', () => {
    expect(codes.length).toBeGreaterThan(40);
    expect(codes).toEqual(
      expect.arrayContaining(['team.out_of_order', 'grid.staffed', 'person.not_found', 'team.exists', 'matter.version_conflict']),
    );
  });
  it.each(['zh-CN', 'en'] as const)('has a %s message for every code a user can meet', (lang) => {
    const text = catalog(lang);
    expect(codes.filter((c) => !text.includes(`'err.${c}'`))).toEqual([]);
  });
});

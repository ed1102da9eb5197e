import { readFileSync } from 'node:fs';
import { checkIdNumber, defaultTagLists, HEAD_RELATIONS, parseBook, validateBook } from '@gridline/book';
import { describe, expect, it } from 'vitest';
import { DEMO_BOOK_SIZES, demoBook, demoBookFile } from './demo-book';
import { DEMO_TOWNS } from './seed';

const today = '2026-11-28';
const tags = defaultTagLists();
const sampleIds = new Set(
  readFileSync(new URL('../../book/fixtures/book-utf8.csv', import.meta.url), 'utf8')
    .split(/\r?\n/)
    .slice(2)
    .map((line) => line.split(',')[6])
    .filter(Boolean),
);

describe.each(Object.keys(DEMO_BOOK_SIZES))('the generated demo book of %s', (townId) => {
  const size = DEMO_BOOK_SIZES[townId] as number;
  const town = DEMO_TOWNS.find((t) => t.townId === townId);

  it('passes the book validation with no error and no warning, and reads back as written', () => {
    const file = demoBookFile(townId, { today, tags });
    const parsed = parseBook(file.bytes);
    expect(parsed.fileErrors).toEqual([]);
    expect(parsed.title).toBe(`${town?.name}人口信息台账`);
    const result = validateBook(parsed, { today, tags });
    expect(result.rejected).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.stats.accepted).toBe(size);
    expect(result.people.map((p) => p.person)).toEqual(file.people);
    // Every household has exactly one head and one to five members.
    expect(result.households.every((h) => h.headRow !== undefined && h.memberRows.length >= 1 && h.memberRows.length <= 5)).toBe(true);
  });

  it('is the same book on every run', () => {
    const a = demoBookFile(townId, { today, tags });
    const b = demoBookFile(townId, { today, tags });
    expect(b.people).toEqual(a.people);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    // Only the arrival dates follow the day of the run.
    const later = demoBook(townId, { today: '2027-03-01', tags });
    expect(later.map(({ arrivalDate: _a, ...p }) => p)).toEqual(a.people.map(({ arrivalDate: _a, ...p }) => p));
  });

  it('lives on the town’s own org chart, with consistent IDs, households and a plausible mix', () => {
    const people = demoBook(townId, { today, tags });
    const grids = new Map(town?.communities.flatMap((c) => c.grids.map((g) => [`${c.name}|${g.name}`, g.courtyards])) ?? []);
    for (const p of people) {
      expect(grids.get(`${p.community}|${p.grid}`), `${p.community} ${p.grid}`).toContain(p.courtyard);
      const id = checkIdNumber(p.idNumber, { today });
      expect(id.ok && id.birthDate === p.birthDate && id.gender === p.gender).toBe(true);
      // Residents of the county carry its region codes (as the sample's do); floating ones another province's.
      if (p.residenceType === 'registered') expect(p.idNumber.slice(0, 4)).toBe('3305');
      if (p.residenceType === 'floating') {
        expect(p.idNumber.slice(0, 2)).not.toBe('33');
        expect(p.arrivalDate && p.arrivalDate < today && p.arrivalDate >= '2025-12-01').toBe(true);
      } else expect(p.arrivalDate).toBeUndefined();
      expect(p.tags.every((t) => tags.specialGroups.some((g) => g.id === t))).toBe(true);
      expect(p.keyTags).toEqual([]);
      expect(sampleIds.has(p.idNumber)).toBe(false);
    }
    expect(new Set(people.map((p) => p.idNumber)).size).toBe(people.length);
    const households = new Map<string, typeof people>();
    for (const p of people) households.set(p.householdNo, [...(households.get(p.householdNo) ?? []), p]);
    for (const members of households.values()) {
      const [head, ...rest] = members;
      expect(HEAD_RELATIONS).toContain(head?.relation);
      expect(rest.every((m) => !HEAD_RELATIONS.includes(m.relation ?? ''))).toBe(true);
      // A household shares one address.
      expect(new Set(members.map((m) => `${m.grid}|${m.courtyard}|${m.door}`)).size).toBe(1);
      if (head && rest.some((m) => m.relation === '配偶')) expect(rest.find((m) => m.relation === '配偶')?.gender).not.toBe(head.gender);
    }
    // Every grid is lived in; some residents are floating, some carry special-group tags.
    expect(new Set(people.map((p) => `${p.community}|${p.grid}`)).size).toBe(grids.size);
    const floating = people.filter((p) => p.residenceType === 'floating').length;
    expect(floating).toBeGreaterThan(size * 0.05);
    expect(floating).toBeLessThan(size * 0.4);
    const tagged = new Set(people.flatMap((p) => p.tags));
    expect(tagged.size).toBeGreaterThanOrEqual(3);
    expect(new Set(people.map((p) => p.arrivalDate?.slice(0, 7)).filter(Boolean)).size).toBeGreaterThanOrEqual(4);
  });
});

it('chooses tags only among the town’s special groups and writes them under its labels', () => {
  const narrow = { ...tags, specialGroups: tags.specialGroups.filter((t) => t.id === 'elderly_alone') };
  const file = demoBookFile('taoyuan', { today, tags: narrow });
  expect(new Set(file.people.flatMap((p) => p.tags))).toEqual(new Set(['elderly_alone']));
  const result = validateBook(parseBook(file.bytes), { today, tags: narrow });
  expect(result.rejected).toEqual([]);
});

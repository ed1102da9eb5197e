import { describe, expect, it } from 'vitest';
import { compose, routeKey, routes, routeTable } from './routes';
import { define } from './spec';

const spec = (id: string, path: string) => define({ id, method: 'GET', path, area: 'public', audience: 'public', roles: [], summary: id });

describe('the composed route table', () => {
  it('has one route per name, id and route key', () => {
    expect(new Set(routeTable.map((r) => r.id)).size).toBe(routeTable.length);
    expect(new Set(routeTable.map(routeKey)).size).toBe(routeTable.length);
    expect(Object.keys(routes)).toHaveLength(routeTable.length);
  });

  it('refuses two groups that use one name, one id or one route key', () => {
    expect(() => compose({ a: spec('a', '/a') }, { a: spec('b', '/b') })).toThrow('Two routes are named a.');
    expect(() => compose({ a: spec('x', '/a') }, { b: spec('x', '/b') })).toThrow('Two routes have the id x.');
    expect(() => compose({ a: spec('a', '/same') }, { b: spec('b', '/same') })).toThrow('Two routes answer GET /same.');
  });

  it('keeps the groups in order, each route under its own name', () => {
    const table = compose({ a: spec('a', '/a') }, { b: spec('b', '/b'), c: spec('c', '/c') });
    expect(Object.keys(table)).toEqual(['a', 'b', 'c']);
    expect(table.b.id).toBe('b');
  });

  it('lets an outside participant reach mediation cases and who they are, nothing else', () => {
    // Decision 160: a participant's town account is refused everywhere but here; the rules then narrow
    // the case routes to the cases with a running invitation.
    const reached = routeTable.filter((r) => r.audience !== 'public' && r.roles.includes('participant'));
    for (const r of reached) expect(r.id === 'town.me' || r.path.startsWith('/town/mediation/cases'), r.id).toBe(true);
    expect(reached.map((r) => r.id)).toContain('town.me');
  });
});

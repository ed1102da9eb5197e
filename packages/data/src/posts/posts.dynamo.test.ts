import { DEFAULT_POSTS, type TownPrincipal } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { observeCommands } from '../client';
import { townKeys } from '../keys';
import { batchGetAll, commitChange, getItem, queryAll } from '../ops';
import { forTown, provisionTown } from '../towns';
import { postsOf, readCatalogue } from './index';

const NOW = '2026-12-05T02:00:00.000Z';
const at = (n: number) => `2026-12-05T03:${String(n).padStart(2, '0')}:00.000Z`;
const principal = (townId: string): TownPrincipal => ({
  kind: 'town',
  userId: 'u1',
  username: `${townId}.admin`,
  role: 'town_admin',
  townId,
  scope: { communities: [], grids: [] },
});
const provision = (townId: string) =>
  provisionTown(townId, { name: '镇', kind: 'town', admin: { username: `${townId}.admin`, displayName: '周' } }, 'c', NOW);

describe('the post catalogue on DynamoDB Local', () => {
  it('starts with the seven posts of provisioning as items, read in one Query, and keeps history and duties versions', async () => {
    await provision('songxi');
    const posts = postsOf(principal('songxi'));
    const seen: string[] = [];
    const stop = observeCommands((o) => seen.push(o.operation));
    const first = await posts.catalogue().finally(stop);
    expect(seen).toEqual(['Query']);
    expect(first.posts.map((p) => p.postId)).toEqual(DEFAULT_POSTS.map((p) => p.id));
    expect(first.posts.every((p) => p.version === 1 && p.duties === null && !p.retired)).toBe(true);

    await posts.add({ postId: 'flood', label: { zh: '防汛员', en: 'Flood warden' } }, at(1));
    await posts.writeDuties('flood', { version: 0, text: '汛期巡查河堤。', effectiveFrom: '2026-12-01' }, at(2));
    await posts.writeDuties('flood', { version: 1, text: '汛期巡查河堤，每日上报。', effectiveFrom: '2027-01-01' }, at(3));
    // Two editors of version 1: the second one is refused, not overwritten.
    await expect(posts.writeDuties('flood', { version: 1, text: '另一版本。', effectiveFrom: '2027-01-01' }, at(4))).rejects.toMatchObject({
      code: 'duties.changed',
      status: 409,
    });
    const renamed = await posts.change('flood', { version: 3, label: { zh: '防汛巡查员', en: 'Flood patrol' } }, at(5));
    expect(renamed).toMatchObject({ version: 4, dutiesVersion: 2, duties: { version: 2 } });

    const detail = await posts.get('flood');
    expect(detail.history.map((e) => e.kind)).toEqual(['added', 'duties', 'duties', 'renamed']);
    expect(detail.duties.map((d) => [d.version, d.text])).toEqual([
      [2, '汛期巡查河堤，每日上报。'],
      [1, '汛期巡查河堤。'],
    ]);
    expect(await posts.dutiesVersion('flood', 1)).toMatchObject({ text: '汛期巡查河堤。', by: 'songxi.admin', at: at(2) });
    // Each change wrote its audit entry in the same transaction.
    const audit = await queryAll<{ action: string }>(townKeys('songxi').audit(at(1), 'x').pk);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['post.add', 'post.duties', 'post.change']));
    // The town's configuration shows the catalogue's posts in use, with the new name.
    const config = await forTown('songxi').config();
    expect(config.posts.find((p) => p.id === 'flood')?.label.zh).toBe('防汛巡查员');
  });

  it("reads a town's configured posts while its catalogue is not stored, and stores them all on the first change", async () => {
    await provision('dongxi');
    const k = townKeys('dongxi');
    // A town provisioned before the catalogue had items of its own: only the configuration's posts.
    await commitChange({ writes: DEFAULT_POSTS.map((p) => ({ kind: 'remove', key: k.post(p.id) })), audit: [] });
    const legacy = await readCatalogue('dongxi');
    expect(legacy.stored).toBe(false);
    expect(legacy.posts.map((p) => p.postId)).toEqual(DEFAULT_POSTS.map((p) => p.id));

    const posts = postsOf(principal('dongxi'));
    await posts.change('sanitation', { version: 1, retired: true }, at(1));
    const stored = await batchGetAll<{ postId: string; status: string }>(DEFAULT_POSTS.map((p) => k.post(p.id)));
    expect(stored).toHaveLength(7);
    expect(stored.find((p) => p.postId === 'sanitation')?.status).toBe('retired');
    const after = await readCatalogue('dongxi');
    expect(after.stored).toBe(true);
    expect(after.posts.filter((p) => p.retired).map((p) => p.postId)).toEqual(['sanitation']);
    expect((await forTown('dongxi').config()).posts.map((p) => p.id)).not.toContain('sanitation');
    expect(await getItem(k.post('mediator'))).toMatchObject({ version: 1, status: 'active' });
  });
});

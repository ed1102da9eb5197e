import { getItem, platformKeys, provisionTown, setTownStatus } from '@gridline/data';
import { describe, expect, it } from 'vitest';
import { handler } from './handler';
import { jobs } from './schedule';

describe('jobs', () => {
  it('are scheduled in Asia/Shanghai in EventBridge cron form', () => {
    expect(jobs.map((j) => j.name)).toContain('tenant-summary');
    for (const j of jobs) {
      expect(j.timezone).toBe('Asia/Shanghai');
      expect(j.cron.split(' ')).toHaveLength(6);
    }
  });

  it('tenant-summary counts towns by status and rewrites the same report on a re-run', async () => {
    const now = '2026-11-28T01:00:00.000Z';
    for (const id of ['aaa', 'bbb', 'ccc'])
      await provisionTown(id, { name: `${id}镇`, kind: 'town', admin: { username: `${id}.admin`, displayName: '管理员' } }, 'c', now);
    await setTownStatus('bbb', 'suspended', 'c', now);
    const first = await handler({ job: 'tenant-summary', at: now });
    expect(first).toEqual({ total: 3, active: 2, suspended: 1, at: now });
    await handler({ job: 'tenant-summary', at: now });
    const stored = await getItem<Record<string, unknown>>(platformKeys.tenantSummary(), { consistent: true });
    expect(stored).toMatchObject({ total: 3, active: 2, suspended: 1, at: now });
  });

  it('refuses an unknown job', async () => {
    await expect(handler({ job: 'drop-tables' })).rejects.toThrow();
  });
});

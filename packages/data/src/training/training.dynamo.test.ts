import { readXlsx } from '@gridline/book';
import type { TownPrincipal } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { observeCommands } from '../client';
import { townKeys } from '../keys';
import { getItem } from '../ops';
import { orgOf } from '../org';
import { teamOf } from '../team';
import { provisionTown } from '../towns';
import { trainingOf } from './index';

const NOW = '2026-12-05T02:00:00.000Z';
const admin: TownPrincipal = {
  kind: 'town',
  userId: 'u1',
  username: 'baisha.admin',
  role: 'town_admin',
  townId: 'baisha',
  scope: { communities: [], grids: [] },
};

async function town() {
  await provisionTown('baisha', { name: '白沙镇', kind: 'town', admin: { username: 'baisha.admin', displayName: '陈' } }, 'c', NOW);
  const c = (await orgOf('baisha').createCommunity({ name: '南社区', kind: 'community' }, 'a', NOW)) as unknown as { communityId: string };
  const team = teamOf(admin);
  const person = async (name: string, passed: boolean) => {
    const p = await team.step(
      undefined,
      {
        kind: 'recommend',
        body: { name, communityId: c.communityId, recommendedBy: '居民代表会议', on: '2026-10-01', votes: 20, method: 'votes' },
      },
      NOW,
    );
    await team.step(p.coordinatorId, { kind: 'inspect', body: { inspector: '综治办', on: '2026-10-10', findings: '—', passed } }, NOW);
    return p.coordinatorId;
  };
  return { a: await person('林一', true), b: await person('林二', true), r: await person('林三', false) };
}

describe('the training ledger on DynamoDB Local', () => {
  it('keeps each person’s yearly total and the month counter in the transactions, reads a year in one Query', async () => {
    const { a, b, r } = await town();
    const training = trainingOf(admin);
    const k = townKeys('baisha');
    const course = await training.createCourse({ title: '入户走访规范', on: '2026-03-15', hours: 3, trainer: '镇综治办' }, NOW);
    expect(course).toMatchObject({ year: 2026, version: 1, attendees: 0 });

    await expect(
      training.recordAttendance(course.courseId, { version: 1, attendance: [{ coordinatorId: r, attended: true, result: 'none' }] }, NOW),
    ).rejects.toMatchObject({ code: 'training.rejected_member', status: 422 });

    const after = await training.recordAttendance(
      course.courseId,
      {
        version: 1,
        attendance: [
          { coordinatorId: a, attended: true, result: 'passed' },
          { coordinatorId: b, attended: false, result: 'none', note: '病假' },
        ],
      },
      NOW,
    );
    expect(after.course).toMatchObject({ version: 2, attendees: 2, credited: 1 });
    // By name as China sorts them (pinyin: èr before yī).
    expect(after.attendance.map((x) => [x.name, x.attended])).toEqual([
      ['林二', false],
      ['林一', true],
    ]);
    // A stale version is refused with a dotted code and changes nothing.
    await expect(training.recordAttendance(course.courseId, { version: 1, attendance: [] }, NOW)).rejects.toMatchObject({
      code: 'conflict.version',
      status: 409,
    });

    expect((await training.personYear(a, 2026)).hours).toBe(3);
    expect(await getItem(k.counters('MONTH#2026-03'), { consistent: true })).toMatchObject({ training_hours: 3 });

    // New hours move the credited total and the counter; a move to April moves the counter's month.
    await training.changeCourse(course.courseId, { version: 2, hours: 4.5, on: '2026-04-02' }, NOW);
    expect((await training.personYear(a, 2026)).hours).toBe(4.5);
    expect((await training.personYear(b, 2026)).courses).toEqual([
      { courseId: course.courseId, title: '入户走访规范', on: '2026-04-02', hours: 4.5, attended: false, result: 'none' },
    ]);
    expect(await getItem(k.counters('MONTH#2026-03'), { consistent: true })).toMatchObject({ training_hours: 0 });
    expect(await getItem(k.counters('MONTH#2026-04'), { consistent: true })).toMatchObject({ training_hours: 4.5 });
    await expect(training.changeCourse(course.courseId, { version: 3, on: '2027-01-05' }, NOW)).rejects.toMatchObject({
      code: 'training.other_year',
    });

    const seen: string[] = [];
    const stop = observeCommands((o) => seen.push(o.operation));
    const ledger = await training.ledger(2026).finally(stop);
    expect(seen).toEqual(['Query']);
    expect(ledger.courses).toHaveLength(1);
    expect(ledger.people).toEqual([
      { coordinatorId: a, name: '林一', hours: 4.5, courses: 1 },
      { coordinatorId: b, name: '林二', hours: 0, courses: 1 },
    ]);
    expect(ledger.totalHours).toBe(4.5);

    const file = await training.exportYear(2026, NOW);
    const table = readXlsx(Buffer.from(file.contentBase64, 'base64'));
    expect(table.rows[0]?.[0]).toBe('白沙镇2026年度协管员培训台账');
    expect(table.rows.filter((row) => row[2] === '入户走访规范').map((row) => [row[5], row[8]])).toEqual([
      ['林二', '0'],
      ['林一', '4.5'],
    ]);
  });
});

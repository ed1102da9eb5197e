import { teamOf } from '@gridline/data/team';
import { trainingOf } from '@gridline/data/training';
import { type AttendanceEntry, shanghaiDay, type TownPrincipal } from '@gridline/domain';

/**
 * The demo training ledger of one town, recorded through the same data functions the API's handlers
 * call (`trainingOf(principal).createCourse` and `.recordAttendance`), as the town admin, after the demo
 * team: three courses of this month (dated on or before today in China), each listing the team's people
 * who were not rejected — everyone passed the first, one failed and one missed the second, and the
 * third, without an assessment, lists the appointed coordinators.
 */

const COURSES = [
  { title: '网格员工作规范与政策法规', hours: 8, trainer: '县委政法委', daysAgo: 14 },
  { title: '矛盾纠纷排查调解实务', hours: 4, trainer: '镇司法所', daysAgo: 7 },
  { title: '入户走访与信息采集', hours: 2.5, trainer: '镇综治中心', daysAgo: 0 },
] as const;

/**
 * The day `days` days before today in China, but not before the 1st of this month: the demo's flows
 * (arrivals, appointments, training hours) all fall in the month the demo is seeded, so rollups of
 * earlier months see none of them.
 */
function dayOfThisMonth(now: string, days: number): string {
  const today = shanghaiDay(now);
  const d = shanghaiDay(new Date(Date.parse(now) - days * 86_400_000));
  return d.slice(0, 7) === today.slice(0, 7) ? d : `${today.slice(0, 7)}-01`;
}

export async function seedDemoTraining(townId: string, adminUsername: string, now: string): Promise<void> {
  const principal: TownPrincipal = {
    kind: 'town',
    userId: adminUsername,
    username: adminUsername,
    role: 'town_admin',
    townId,
    scope: { communities: [], grids: [] },
  };
  const training = trainingOf(principal);
  const people = (await teamOf(principal).list(100, undefined)).items.filter((p) => p.stage !== 'rejected');
  if (people.length === 0) return;
  const [first, second, third] = COURSES;
  const lists: AttendanceEntry[][] = [
    people.map((p) => ({ coordinatorId: p.coordinatorId, attended: true, result: 'passed' })),
    people.map((p, i) => ({
      coordinatorId: p.coordinatorId,
      attended: i !== 1,
      result: i === 1 ? 'none' : i === 2 ? 'failed' : 'passed',
      ...(i === 1 ? { note: '因事请假' } : {}),
    })),
    people.filter((p) => p.stage === 'appointed').map((p) => ({ coordinatorId: p.coordinatorId, attended: true, result: 'none' })),
  ];
  for (const [i, c] of [first, second, third].entries()) {
    const course = await training.createCourse(
      { title: c.title, on: dayOfThisMonth(now, c.daysAgo), hours: c.hours, trainer: c.trainer },
      now,
    );
    await training.recordAttendance(course.courseId, { version: course.version, attendance: lists[i] ?? [] }, now);
  }
}

import type { AttendancePlan, Course, CounterDelta, CourseChangePlan, TotalChange } from '@gridline/domain';
import { auditEntry } from '../audit';
import type { Change, CounterMove, Write } from '../ops';
import { type StoredTotal, trainingItems } from './items';

/**
 * The transactions of one town's training ledger: each turns a plan of the ledger's rules
 * (`@gridline/domain`, training/rules) into ONE transaction — the course at the version read and its
 * row in the year's ledger, the attendance lines written or dropped, each person's yearly total at the
 * version read (or created), the audit entry and the month counter of training hours (decision 69).
 * Pure: tested without DynamoDB.
 */
export function trainingChanges(townId: string, actor: string) {
  const items = trainingItems(townId);
  const k = items.keys;
  const counter = (c: CounterDelta): CounterMove => ({ key: k.counters(c.scope), deltas: c.deltas });

  /** A total after a change: created when none was read, else replaced at the version read. */
  const totalWrite = (t: TotalChange): Write => {
    const read = (t.before as StoredTotal | undefined)?.version;
    const { version: _v, ...after } = t.after as StoredTotal;
    return read === undefined
      ? { kind: 'create', item: items.total({ ...after, version: 1 }), conflictCode: 'training.changed' }
      : { kind: 'replace', item: items.total({ ...after, version: read + 1 }), version: read };
  };

  /** The course at the version read, and its ledger row following it (the course's version guards both). */
  const courseWrites = (course: Course, version: number): Write[] => [
    { kind: 'replace', item: items.course({ ...course, version: version + 1 }), version },
    { kind: 'put', item: items.row({ ...course, version: version + 1 }) },
  ];

  const audit = (action: string, target: string, at: string, details: Record<string, unknown>) => [
    auditEntry(k.audit, { actor, action, target, at, details }),
  ];

  return {
    items,

    /** A new course: the course item (which must not exist) and its row in the year's ledger. */
    newCourse(course: Course, plan: { audit: { action: string; details: Record<string, unknown> } }, now: string): Change {
      return {
        writes: [
          { kind: 'create', item: items.course({ ...course, version: 1 }), conflictCode: 'training.exists' },
          { kind: 'put', item: items.row({ ...course, version: 1 }) },
        ],
        audit: audit(plan.audit.action, course.courseId, now, plan.audit.details),
      };
    },

    /** A course's attendance recorded: lines written and dropped, the totals moved, the month counter. */
    attendanceChange(plan: AttendancePlan, version: number, now: string): Change {
      return {
        writes: [
          ...courseWrites(plan.course, version),
          ...plan.put.map((a): Write => ({ kind: 'put', item: items.attendance(plan.course, a) })),
          ...plan.remove.map((id): Write => ({ kind: 'remove', key: k.attendance(plan.course.courseId, id) })),
          ...plan.totals.map(totalWrite),
        ],
        audit: audit(plan.audit.action, plan.course.courseId, now, plan.audit.details),
        counters: plan.counters.map(counter),
      };
    },

    /** A course's fields changed: the course, every total that shows it, the month counters. */
    courseChange(plan: CourseChangePlan, version: number, now: string): Change {
      return {
        writes: [...courseWrites(plan.course, version), ...plan.totals.map(totalWrite)],
        audit: audit(plan.audit.action, plan.course.courseId, now, plan.audit.details),
        counters: plan.counters.map(counter),
      };
    },
  };
}
export type TrainingChanges = ReturnType<typeof trainingChanges>;

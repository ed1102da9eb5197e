import { AppError, shanghaiDay } from '@gridline/domain';
import { auditEntry } from '../audit';
import { townKeys } from '../keys';
import { commitChange, getItem, type Item, type Write } from '../ops';
import { nextFollowUp, statusRange, storedCase } from './items';
import { mergedPage } from './lists';

export type FollowUpReport = {
  townId: string;
  at: string;
  today: string;
  /** Agreed cases whose next follow-up is due today or overdue. */
  due: number;
  /** Cases whose mediators were told this run. */
  notified: number;
  /** Notifications written. */
  notifications: number;
  /** Cases told already today (an earlier run), or changed meanwhile. */
  skipped: number;
};

const ACTOR = 'job:mediation-follow-ups';
const NOTIFY_DAYS = 30;
const MAX_RECIPIENTS = 20;
const writeRate = () => Number(process.env.GRIDLINE_MEDIATION_WCU_PER_SECOND ?? 200);

/**
 * The morning follow-up reminders of one town (回访, 07:00 China time, decision 168): every agreed case
 * whose next follow-up is due today or overdue — the head of the town's agreed list, read page by page —
 * gets one in-app notification per mediator of the case, once a day. The case's mark (`R` in its
 * partition) records the day it was told, written with the notifications in one transaction at the
 * mark's version: a rerun the same day (or one after a crash, which goes on where it stopped) tells
 * nobody twice, and two runs at once tell once. Paced at GRIDLINE_MEDIATION_WCU_PER_SECOND write units.
 */
export async function remindFollowUps(
  townId: string,
  now: string,
  opts: { sleep?: (ms: number) => Promise<void> } = {},
): Promise<FollowUpReport> {
  const k = townKeys(townId);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const today = shanghaiDay(now);
  const report: FollowUpReport = { townId, at: now, today, due: 0, notified: 0, notifications: 0, skipped: 0 };
  const expiresAt = Math.floor(Date.parse(now) / 1000) + NOTIFY_DAYS * 86_400;
  const [from, to] = statusRange('agreed', today);
  const started = Date.now();
  let written = 0;
  let cursor: string | undefined;
  do {
    const page = await mergedPage({
      ranges: [{ pk: k.mediationTownPk, index: 'gsi2', from, to }],
      limit: 100,
      cursor,
      listing: 'mediation.follow-up-job',
    });
    for (const item of page.items) {
      const c = storedCase(item);
      const due = nextFollowUp(c);
      if (!due || due > today) continue;
      report.due++;
      const mark = await getItem<Item>(k.mediationReminder(c.caseId), { consistent: true });
      if (mark?.notifiedOn === today) {
        report.skipped++;
        continue;
      }
      const notificationId = `mediation-${c.caseId}-${today}`;
      const recipients = [...new Set(c.mediators)].slice(0, MAX_RECIPIENTS);
      const markItem = { ...k.mediationReminder(c.caseId), type: 'MediationReminder', caseId: c.caseId, notifiedOn: today, due };
      const writes: Write[] = [
        mark
          ? { kind: 'replace', item: { ...markItem, version: Number(mark.version) + 1 }, version: Number(mark.version) }
          : { kind: 'create', item: markItem },
        ...recipients.map(
          (username): Write => ({
            kind: 'put',
            item: {
              ...k.notification(username, now, notificationId),
              type: 'Notification',
              notificationId,
              at: now,
              kind: 'mediation_follow_up',
              caseId: c.caseId,
              due,
              overdue: due < today,
              expiresAt,
            },
          }),
        ),
      ];
      try {
        await commitChange({
          writes,
          audit: [
            auditEntry(k.audit, {
              actor: ACTOR,
              action: 'mediation.follow_up.remind',
              target: c.caseId,
              at: now,
              details: { due, recipients: recipients.length },
            }),
          ],
        });
        report.notified++;
        report.notifications += recipients.length;
      } catch (e) {
        // Another run told them meanwhile.
        if (!(e instanceof AppError && e.status === 409)) throw e;
        report.skipped++;
      }
      written += 2 * (writes.length + 1);
      const ahead = (written / writeRate()) * 1000 - (Date.now() - started);
      if (ahead > 0) await sleep(ahead);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await commitChange({ writes: [{ kind: 'put', item: { ...k.report('mediation-follow-ups'), type: 'Report', ...report } }], audit: [] });
  return report;
}

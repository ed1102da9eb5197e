import type { AttendanceEntry, AttendanceView } from '@gridline/domain';

/** The pure helpers of the training pages: the year shown, the bars of the hours chart, the attendance form. */

/** The year a ledger page shows: `?year=` when it is a plausible year, else the current year in China. */
export function yearOf(param: string | null, today: string): number {
  const fallback = Number(today.slice(0, 4));
  if (!param || !/^\d{4}$/.test(param)) return fallback;
  const y = Number(param);
  return y >= 2000 && y <= fallback + 1 ? y : fallback;
}

/** Each person's bar as a share of the longest (0–100, at least a sliver for any hours at all). */
export function bars<T extends { hours: number }>(people: readonly T[]): Array<T & { width: number }> {
  const max = Math.max(0, ...people.map((p) => p.hours));
  return people.map((p) => ({ ...p, width: max === 0 ? 0 : Math.max(p.hours > 0 ? 2 : 0, Math.round((p.hours / max) * 100)) }));
}

/** Whether typed hours are what a course takes: half hours from 0.5 to 200. */
export function hoursOk(text: string): boolean {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) && n >= 0.5 && n <= 200 && Number.isInteger(n * 2);
}

/** One row of the attendance form: a person of the team, listed or not. */
export type AttendanceRow = {
  coordinatorId: string;
  name: string;
  listed: boolean;
  attended: boolean;
  result: AttendanceEntry['result'];
  note: string;
};

/** The form's rows: the people recorded first, as recorded, then everyone else who may be listed, unticked. */
export function attendanceRows(
  recorded: readonly AttendanceView[],
  team: ReadonlyArray<{ coordinatorId: string; name: string; stage: string }>,
): AttendanceRow[] {
  const rows: AttendanceRow[] = recorded.map((a) => ({
    coordinatorId: a.coordinatorId,
    name: a.name,
    listed: true,
    attended: a.attended,
    result: a.result,
    note: a.note ?? '',
  }));
  const have = new Set(rows.map((r) => r.coordinatorId));
  for (const m of team)
    if (m.stage !== 'rejected' && !have.has(m.coordinatorId))
      rows.push({ coordinatorId: m.coordinatorId, name: m.name, listed: false, attended: true, result: 'none', note: '' });
  return rows;
}

/** The body the rows make: the listed people, someone absent without a result, notes trimmed. */
export function attendanceBody(rows: readonly AttendanceRow[]): AttendanceEntry[] {
  return rows
    .filter((r) => r.listed)
    .map((r) => ({
      coordinatorId: r.coordinatorId,
      attended: r.attended,
      result: r.attended ? r.result : 'none',
      ...(r.note.trim() ? { note: r.note.trim() } : {}),
    }));
}

import {
  AppError,
  type CalendarEntry,
  type CalendarList,
  type CalendarOrigin,
  isWorkingDay,
  SHIPPED_CALENDARS,
  type TownCalendar,
  type TownClosure,
  type TownClosuresPut,
  type TownClosuresView,
  validateTownClosures,
  validateYearCalendar,
  type WorkCalendar,
  type YearCalendar,
  type YearCalendarBody,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { type Key, platformKeys, townKeys, townPrefix } from '../keys';
import { chunk, commitChange, getItem, type Item, putIfNewer, queryAll, type Write } from '../ops';
import { forget, remembered } from '../memo';
import { actingForTown } from '../scope';

/*
 * The working-day calendar as stored (decisions 88–90). County IT's years are kept once under the
 * platform prefix (`P#CALENDAR`, `YEAR#<year>`) and copied into every town's CONFIG partition
 * (`CAL#<year>`), because a town request may read only keys under its own prefix. The town's closures
 * are one item of its CONFIG partition (`CLOSURES`). A town reads its calendar with one Query of its
 * CONFIG partition and one GetItem; the 2026 calendar shipped with the product fills in a year the
 * county has not entered.
 */

type StoredYear = { year: number; calendar: YearCalendar; version: number; savedAt: string; savedBy: string };
type StoredClosures = { closures: TownClosure[]; version: number; updatedAt: string; updatedBy: string };

const yearItem = (s: StoredYear): Item & Key => ({ ...platformKeys.calendar(s.year), type: 'Calendar', ...s });
const copyItem = (townId: string, s: StoredYear): Item & Key => ({ ...townKeys(townId).calendarCopy(s.year), type: 'CalendarCopy', ...s });
const storedYear = (i: Item): StoredYear => ({
  year: i.year as number,
  calendar: i.calendar as YearCalendar,
  version: i.version as number,
  savedAt: i.savedAt as string,
  savedBy: i.savedBy as string,
});
const entryOf = (s: StoredYear): CalendarEntry => ({
  year: s.year,
  origin: 'county',
  source: s.calendar.source,
  version: s.version,
  savedAt: s.savedAt,
  savedBy: s.savedBy,
  calendar: s.calendar,
});
const shippedEntry = (c: YearCalendar): CalendarEntry => ({ year: c.year, origin: 'shipped', source: c.source, version: 0, calendar: c });

/** The years entered and the years shipped, one entry a year: an entered year wins over a shipped one. */
function merged(entered: readonly StoredYear[]): CalendarEntry[] {
  const byYear = new Map<number, CalendarEntry>(SHIPPED_CALENDARS.map((c) => [c.year, shippedEntry(c)]));
  for (const s of entered) byYear.set(s.year, entryOf(s));
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

const conflict = () => new AppError('conflict.version', 409, 'Someone else changed this record first; reload and try again.');

/** The county's calendar years (`P#CALENDAR`), as county IT reads and saves them. */
export const countyCalendars = {
  /** Every year that has a calendar, shipped or entered, oldest first. */
  async list(): Promise<CalendarList> {
    const entered = (await queryAll<Item>(platformKeys.calendarsPk, 'YEAR#')).map(storedYear);
    return { years: merged(entered).map(({ calendar: _c, ...info }) => info) };
  },

  /** One year's calendar; 404 for a year neither shipped nor entered. */
  async get(year: number): Promise<CalendarEntry> {
    const item = await getItem<Item>(platformKeys.calendar(year), { consistent: true });
    const found = item ? entryOf(storedYear(item)) : merged([]).find((e) => e.year === year);
    if (!found) throw new AppError('calendar.not_found', 404, `No calendar is entered for ${year}.`);
    return found;
  },

  /**
   * Saves a year at the version read (0 for a year not entered yet; a shipped year is entered at 0 and
   * from then on the entered one counts): the record, and the county audit entry holding the version
   * and calendar it replaces, in one transaction; then a copy into every town (decision 88).
   */
  async save(year: number, body: YearCalendarBody, actor: string, now: string): Promise<CalendarEntry> {
    const { version, ...calendar } = body;
    if (calendar.year !== year) throw new AppError('calendar.year_mismatch', 422, `The calendar is for ${year}.`, { field: 'body.year' });
    validateYearCalendar(calendar);
    const current = await getItem<Item>(platformKeys.calendar(year), { consistent: true });
    const before = current ? storedYear(current) : undefined;
    if (version !== (before?.version ?? 0)) throw conflict();
    const next: StoredYear = { year, calendar, version: version + 1, savedAt: now, savedBy: actor };
    const write: Write = before
      ? { kind: 'replace', item: yearItem(next), version: before.version }
      : { kind: 'create', item: yearItem(next), conflictCode: 'conflict.version' };
    await commitChange({
      writes: [write],
      audit: [
        auditEntry(platformKeys.audit, {
          actor,
          action: 'calendar.save',
          target: String(year),
          at: now,
          details: { version: next.version, previousVersion: before?.version ?? 0, ...(before ? { previous: before.calendar } : {}) },
        }),
      ],
    });
    await copyToTowns([next]);
    return entryOf(next);
  },
};

/** The ids of every town in the registry (one Query of the county's registry partition). */
async function allTownIds(): Promise<string[]> {
  return (await queryAll<{ townId?: string; sk: string }>(platformKeys.townsPk, 'TOWN#')).map((t) => t.sk.slice('TOWN#'.length));
}

/** Copies written at once while fanning a year out to the towns. */
const COPY_CONCURRENCY = 10;

/**
 * Copies county years into towns (every town by default): one conditional put per town and year, ten
 * at a time, each kept only if newer than the copy there (a slow save never undoes a later one). The
 * county acts for each town it writes to, visibly, as it does when provisioning.
 */
export async function copyToTowns(years: readonly StoredYear[], townIds?: readonly string[]): Promise<void> {
  const towns = townIds ?? (await allTownIds());
  const items = towns.flatMap((t) => years.map((y) => ({ townId: t, item: copyItem(t, y) as Item & Key & { version: number } })));
  for (const part of chunk(items, COPY_CONCURRENCY))
    await Promise.all(part.map(({ townId, item }) => actingForTown(townPrefix(townId), () => putIfNewer(item))));
  for (const t of towns) forget(`${t}|calendar`);
}

/** The copies a new town starts with: every year county IT has entered (provisioning writes them in its transaction). */
export async function calendarCopiesFor(townId: string): Promise<Array<Item & Key>> {
  const entered = (await queryAll<Item>(platformKeys.calendarsPk, 'YEAR#', { consistent: true })).map(storedYear);
  return entered.map((s) => copyItem(townId, s));
}

type TownYears = { entries: CalendarEntry[]; closures: StoredClosures | undefined };

async function townYears(townId: string): Promise<TownYears> {
  const k = townKeys(townId);
  const [copies, closures] = await Promise.all([queryAll<Item>(k.configPk, 'CAL#'), getItem<StoredClosures>(k.closures())]);
  return { entries: merged(copies.map(storedYear)), closures };
}

/**
 * The working-day calendar of a town, for counting deadlines: the national years it has (county IT's
 * copies, and the shipped years the county has not entered) and its local closures. One Query of the
 * town's CONFIG partition and one GetItem, both under the town's own prefix, at most once a minute per
 * process (memo.ts).
 */
export function workCalendarOf(townId: string): Promise<WorkCalendar> {
  return remembered(`${townId}|calendar`, async () => {
    const { entries, closures } = await townYears(townId);
    return { calendars: entries.map((e) => e.calendar), closures: closures?.closures ?? [] };
  });
}

const closuresView = (s: StoredClosures | undefined): TownClosuresView =>
  s ? { closures: s.closures, version: s.version, updatedAt: s.updatedAt, updatedBy: s.updatedBy } : { closures: [], version: 0 };

/** One town's calendar as its users see it, and its admin's closures. */
export function townCalendarOf(townId: string) {
  const k = townKeys(townId);
  return {
    /** A year as the town counts it; `hasCalendar: false` when no national calendar is known for it. */
    async year(year: number): Promise<TownCalendar> {
      const { entries, closures } = await townYears(townId);
      const entry = entries.find((e) => e.year === year);
      const first = `${year}-01-01`;
      const last = `${year}-12-31`;
      const touching = (closures?.closures ?? []).filter((c) => c.from <= last && (c.to ?? c.from) >= first);
      const calendars = entries.map((e) => e.calendar);
      let workingDays = 0;
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000)
        if (isWorkingDay(new Date(t).toISOString().slice(0, 10), calendars, touching)) workingDays++;
      const origin: CalendarOrigin | undefined = entry?.origin;
      return {
        year,
        hasCalendar: entry !== undefined,
        ...(entry && origin ? { origin, source: entry.source } : {}),
        holidays: entry?.calendar.holidays ?? [],
        makeUpWorkdays: entry?.calendar.makeUpWorkdays ?? [],
        closures: touching,
        workingDays,
      };
    },

    /** Every closure of the town, with the version to save at. */
    closures: async (): Promise<TownClosuresView> => closuresView(await getItem<StoredClosures>(k.closures(), { consistent: true })),

    /** Replaces the town's closures (the list given is the list kept), at the version read; audited in the town. */
    async saveClosures(body: TownClosuresPut, actor: string, now: string): Promise<TownClosuresView> {
      validateTownClosures(body.closures);
      const current = await getItem<StoredClosures>(k.closures(), { consistent: true });
      if (body.version !== (current?.version ?? 0)) throw conflict();
      const next: StoredClosures = { closures: body.closures, version: body.version + 1, updatedAt: now, updatedBy: actor };
      const item = { ...k.closures(), type: 'Closures', ...next };
      await commitChange({
        writes: [
          current ? { kind: 'replace', item, version: current.version } : { kind: 'create', item, conflictCode: 'conflict.version' },
        ],
        audit: [
          auditEntry(k.audit, {
            actor,
            action: 'calendar.closures',
            target: 'CLOSURES',
            at: now,
            details: { version: next.version, closures: body.closures.length, previousVersion: current?.version ?? 0 },
          }),
        ],
      });
      forget(`${townId}|calendar`);
      return closuresView(next);
    },
  };
}

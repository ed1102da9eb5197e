import { townIdSchema } from '@gridline/domain';

/**
 * Every key of Gridline is composed here and nowhere else.
 *
 * Town data: every partition key (table and index) starts with `T#<townId>#`. Town ids cannot contain `#`,
 * so one town's prefix is never a prefix of another's. Platform data (tenant registry, county audit,
 * county rollups) lives under `P#` and never under a town.
 */
export const PLATFORM_PREFIX = 'P#';

export function townPrefix(townId: string): string {
  // A malformed id here is a programming error, never user input: ids are validated at the edge.
  townIdSchema.parse(townId);
  return `T#${townId}#`;
}

export type Key = { pk: string; sk: string };

const day = (iso: string) => iso.slice(0, 10);

export const platformKeys = {
  /**
   * The tenant registry: one partition holding every town, sorted by id. A county has tens of towns and
   * changes them rarely, so one partition is enough, and listing needs no index to keep up.
   */
  town: (townId: string): Key => ({ pk: 'P#TOWNS', sk: `TOWN#${townIdSchema.parse(townId)}` }),
  townsPk: 'P#TOWNS',
  audit: (at: string, id: string): Key => ({ pk: `P#AUDIT#${day(at)}`, sk: `${at}#${id}` }),
  counters: (): Key => ({ pk: 'P#COUNT', sk: 'COUNTY' }),
  tenantSummary: (): Key => ({ pk: 'P#REPORT#TENANTS', sk: 'LATEST' }),
  /** One county rollup period (`2026-11-27`, `2026-11`, `2026-Q4`): a partition of town items and the county item. */
  rollupPk: (period: string) => `P#ROLLUP#${period}`,
  rollupTown: (period: string, townId: string): Key => ({ pk: `P#ROLLUP#${period}`, sk: `TOWN#${townIdSchema.parse(townId)}` }),
  rollupCounty: (period: string): Key => ({ pk: `P#ROLLUP#${period}`, sk: 'COUNTY' }),
  /**
   * The national calendars county IT has entered, one item per year in one partition (a handful of
   * years): the record of truth, copied into every town's CONFIG partition (`calendarCopy`) on save.
   */
  calendarsPk: 'P#CALENDAR',
  calendar: (year: number): Key => ({ pk: 'P#CALENDAR', sk: `YEAR#${year}` }),
};

/**
 * An idempotency record, under the prefix of the tenant the request serves (`T#<town>#` or `P#`), so the
 * tenancy guard and the town role's LeadingKeys policy allow it like any other key of that tenant. One
 * partition per key spreads them evenly.
 */
export const idempotencyKey = (tenantPrefix: string, digest: string): Key => ({ pk: `${tenantPrefix}IDEM#${digest}`, sk: 'IDEM' });

/** Keys of one town; the only way handlers reach town data. */
export function townKeys(townId: string) {
  const p = townPrefix(townId);
  return {
    prefix: p,
    meta: (): Key => ({ pk: `${p}META`, sk: 'TOWN' }),
    config: (part: string): Key => ({ pk: `${p}CONFIG`, sk: part }),
    configPk: `${p}CONFIG`,
    /** The town's copy of a national calendar county IT entered (the record is `platformKeys.calendar`). */
    calendarCopy: (year: number): Key => ({ pk: `${p}CONFIG`, sk: `CAL#${year}` }),
    /** The town's local closures: one item, the whole list, replaced at its version. */
    closures: (): Key => ({ pk: `${p}CONFIG`, sk: 'CLOSURES' }),
    /** The town's wrapped data key, apart from configuration so no listing ever returns it. */
    dataKey: (): Key => ({ pk: `${p}VAULT`, sk: 'DATAKEY' }),
    orgPk: `${p}ORG`,
    community: (communityId: string): Key => ({ pk: `${p}ORG`, sk: `COMM#${communityId}` }),
    grid: (gridId: string): Key => ({ pk: `${p}ORG`, sk: `GRID#${gridId}` }),
    courtyard: (courtyardId: string): Key => ({ pk: `${p}ORG`, sk: `YARD#${courtyardId}` }),
    /** History of one org record (`COMM#…`, `GRID#…`, `YARD#…`), oldest first. */
    orgHistoryPk: (recordSk: string) => `${p}ORGEV#${recordSk}`,
    orgEvent: (recordSk: string, at: string, id: string): Key => ({ pk: `${p}ORGEV#${recordSk}`, sk: `${at}#${id}` }),
    // The population book. People are partitioned per grid (never one key per town), indexes carry
    // the town prefix too: gsi1 = households by courtyard / people by residence type; gsi2 = names.
    householdsPk: (gridId: string) => `${p}HH#${gridId}`,
    household: (gridId: string, householdId: string): Key => ({ pk: `${p}HH#${gridId}`, sk: `H#${householdId}` }),
    householdCode: (code: string): Key => ({ pk: `${p}HHCODE#${code}`, sk: 'CODE' }),
    courtyardIndexPk: (courtyardId: string) => `${p}YARD#${courtyardId}`,
    peoplePk: (gridId: string) => `${p}PPL#${gridId}`,
    person: (gridId: string, householdId: string, personId: string): Key => ({ pk: `${p}PPL#${gridId}`, sk: `${householdId}#${personId}` }),
    residenceIndexPk: (type: string) => `${p}RES#${type}`,
    nameIndexPk: (name: string) => `${p}NAME#${[...name][0] ?? '_'}`,
    /** One item per ID number (by keyed hash): uniqueness in the town and exact look-up. */
    idLock: (hash: string): Key => ({ pk: `${p}ID#${hash}`, sk: 'ID' }),
    tagEntry: (tag: string, gridId: string, personId: string): Key => ({ pk: `${p}TAG#${tag}`, sk: `${gridId}#${personId}` }),
    tagPk: (tag: string) => `${p}TAG#${tag}`,
    keyTagEntry: (tag: string, gridId: string, personId: string): Key => ({ pk: `${p}KTAG#${tag}`, sk: `${gridId}#${personId}` }),
    keyTagPk: (tag: string) => `${p}KTAG#${tag}`,
    personEventsPk: (personId: string) => `${p}PEV#${personId}`,
    personEvent: (personId: string, at: string, id: string): Key => ({ pk: `${p}PEV#${personId}`, sk: `${at}#${id}` }),
    revealQuota: (username: string, hour: string): Key => ({ pk: `${p}QUOTA#${username}`, sk: hour }),
    staffPk: `${p}STAFF`,
    staff: (username: string): Key => ({ pk: `${p}STAFF`, sk: `USER#${username}` }),
    /** One staff member's history (invited, role or scope changed, disabled, enabled), oldest first. */
    staffEventsPk: (username: string) => `${p}STAFFEV#${username}`,
    staffEvent: (username: string, at: string, id: string): Key => ({ pk: `${p}STAFFEV#${username}`, sk: `${at}#${id}` }),
    audit: (at: string, id: string): Key => ({ pk: `${p}AUDIT#${day(at)}`, sk: `${at}#${id}` }),
    counters: (scope: string): Key => ({ pk: `${p}COUNT`, sk: scope }),
    countersPk: `${p}COUNT`,
    /** A job's latest report about the town (e.g. the reconciliation), apart from the counters. */
    report: (name: string): Key => ({ pk: `${p}REPORT`, sk: name }),
    /**
     * Job runs that are queued or running (one small item each, removed when the run ends): what the
     * sweeper queries to find stopped runs, so it never reads finished ones or scans.
     */
    activeRunsPk: `${p}RUNS`,
    activeRun: (kind: string, runId: string): Key => ({ pk: `${p}RUNS`, sk: `${kind}#${runId}` }),
    /** One import's record (its preview, status, lease and progress). */
    importsPk: `${p}IMPORT`,
    importRecord: (importId: string): Key => ({ pk: `${p}IMPORT`, sk: importId }),
    /** The column mapping a town chose for files with these headers (a hash of the normalised header row). */
    importMapping: (headersKey: string): Key => ({ pk: `${p}IMPORTMAP`, sk: headersKey }),
    // --- Team (issue 12): coordinator records, their history, the coverage of each community ---------
    /** Every coordinator record of the town (candidates to dismissed): one partition, listed in pages. */
    teamPk: `${p}TEAM`,
    teamMember: (coordinatorId: string): Key => ({ pk: `${p}TEAM`, sk: `C#${coordinatorId}` }),
    /** One coordinator's history, oldest first. */
    teamEventsPk: (coordinatorId: string) => `${p}TEAMEV#${coordinatorId}`,
    teamEvent: (coordinatorId: string, at: string, id: string): Key => ({ pk: `${p}TEAMEV#${coordinatorId}`, sk: `${at}#${id}` }),
    /** The coverage of one community (who holds which post in which grid, who answers for each grid): one item. */
    teamCoveragePk: `${p}TEAMCOV`,
    teamCoverage: (communityId: string): Key => ({ pk: `${p}TEAMCOV`, sk: `COMM#${communityId}` }),
    // --- end of Team ----------------------------------------------------------------------------------
    // --- Posts (issue 12, 定岗定责): the catalogue, each post's history and duties versions ----------
    /** The post catalogue: one item per post (`P#`) and its current duties (`D#`), so the catalogue is one Query. */
    postsPk: `${p}POSTS`,
    post: (postId: string): Key => ({ pk: `${p}POSTS`, sk: `P#${postId}` }),
    postDuties: (postId: string): Key => ({ pk: `${p}POSTS`, sk: `D#${postId}` }),
    /** One post's log: its history (`E#<at>#<id>`, oldest first) and every duties version (`V#<000001>`). */
    postLogPk: (postId: string) => `${p}POSTLOG#${postId}`,
    postEvent: (postId: string, at: string, id: string): Key => ({ pk: `${p}POSTLOG#${postId}`, sk: `E#${at}#${id}` }),
    postDutiesVersion: (postId: string, version: number): Key => ({
      pk: `${p}POSTLOG#${postId}`,
      sk: `V#${String(version).padStart(6, '0')}`,
    }),
    // --- end of Posts ---------------------------------------------------------------------------------
    // --- Training (issue 12): the ledger (decision 68) ----------------------------------------------
    /** A year's ledger: a row per course (`C#…`) and a total per person (`P#…`), so the year is one Query. */
    trainingYearPk: (year: number) => `${p}TRAIN#${year}`,
    trainingRow: (year: number, courseId: string): Key => ({ pk: `${p}TRAIN#${year}`, sk: `C#${courseId}` }),
    trainingTotal: (year: number, coordinatorId: string): Key => ({ pk: `${p}TRAIN#${year}`, sk: `P#${coordinatorId}` }),
    /** One course and its attendance (`A#<coordinatorId>`), so a course is one Query. */
    coursePk: (courseId: string) => `${p}COURSE#${courseId}`,
    course: (courseId: string): Key => ({ pk: `${p}COURSE#${courseId}`, sk: 'COURSE' }),
    attendance: (courseId: string, coordinatorId: string): Key => ({ pk: `${p}COURSE#${courseId}`, sk: `A#${coordinatorId}` }),
    // --- end of Training ------------------------------------------------------------------------------
    /**
     * One upload (a photo, a document, a book file): a partition each, read by id only. An uncompleted
     * slot carries the TTL attribute, so DynamoDB forgets slots nobody finished.
     */
    upload: (uploadId: string): Key => ({ pk: `${p}UPLOAD#${uploadId}`, sk: 'UPLOAD' }),
    // --- Matters (issue 13): each matter's partition, its queues, the catalogue (decision 91) ---------
    /** A matter (`M`) and its timeline (`E#<at>#<version>#<n>`, oldest first): its page is one Query. */
    matterPk: (matterId: string) => `${p}MATTER#${matterId}`,
    matter: (matterId: string): Key => ({ pk: `${p}MATTER#${matterId}`, sk: 'M' }),
    matterEvent: (matterId: string, at: string, version: number, n: number): Key => ({
      pk: `${p}MATTER#${matterId}`,
      sk: `E#${at}#${String(version).padStart(4, '0')}#${n}`,
    }),
    /** gsi1 of a matter: the queue of a level for a place (grid, community or `TOWN`); sk `h|v#<due>#<id>`. */
    matterLevelQueuePk: (level: string, place: string) => `${p}MQ#${level}#${place}`,
    /** gsi2 of a matter: what one account holds; sk `<due>#<id>`. */
    matterMinePk: (username: string) => `${p}MINE#${username}`,
    /** The town's running clocks, by due (`<due>#<id>`): overdue and due-soon lists, the supervision job. */
    matterDuePk: `${p}MDUE`,
    matterDue: (due: string, matterId: string): Key => ({ pk: `${p}MDUE`, sk: `${due}#${matterId}` }),
    /** Every matter of a grid and of a category, by when it was raised (`<raisedAt>#<id>`). */
    matterGridPk: (gridId: string) => `${p}MGRID#${gridId}`,
    matterGridEntry: (gridId: string, raisedAt: string, matterId: string): Key => ({
      pk: `${p}MGRID#${gridId}`,
      sk: `${raisedAt}#${matterId}`,
    }),
    matterCategoryPk: (categoryId: string) => `${p}MCAT#${categoryId}`,
    matterCategoryEntry: (categoryId: string, raisedAt: string, matterId: string): Key => ({
      pk: `${p}MCAT#${categoryId}`,
      sk: `${raisedAt}#${matterId}`,
    }),
    /** The category catalogue (`C#<id>`), one Query; each category's saves (`<at>#<version>`). */
    matterCategoriesPk: `${p}MCATS`,
    matterCategory: (categoryId: string): Key => ({ pk: `${p}MCATS`, sk: `C#${categoryId}` }),
    matterCategoryLogPk: (categoryId: string) => `${p}MCATLOG#${categoryId}`,
    matterCategoryLog: (categoryId: string, at: string, version: number): Key => ({
      pk: `${p}MCATLOG#${categoryId}`,
      sk: `${at}#${String(version).padStart(6, '0')}`,
    }),
    matterLadder: (): Key => ({ pk: `${p}CONFIG`, sk: 'MATTER_LADDER' }),
    /** One account's in-app notifications, newest last (`<at>#<id>`), kept 30 days. */
    notificationsPk: (username: string) => `${p}NOTE#${username}`,
    notification: (username: string, at: string, id: string): Key => ({ pk: `${p}NOTE#${username}`, sk: `${at}#${id}` }),
    // --- end of Matters -------------------------------------------------------------------------------
    // --- Visits (issue 14): each household's visit state, its visits, the due lists ------------------
    /**
     * A household's visit state, beside its record in the grid's household partition: tag counts of its
     * members, cycle, last visit, due day. gsi2 = the grid's due list (`VDUE#G#<grid>`, sk `<due>#<household>`),
     * gsi1 = the community's (`VDUE#C#<community>`, sk `<due>#<grid>#<household>`): one Query each.
     */
    visitState: (gridId: string, householdId: string): Key => ({ pk: `${p}HH#${gridId}`, sk: `V#${householdId}` }),
    visitDueGridPk: (gridId: string) => `${p}VDUE#G#${gridId}`,
    visitDueCommunityPk: (communityId: string) => `${p}VDUE#C#${communityId}`,
    /** A household's visits (`V#<visitId>`: ids are ULIDs made on the device, so oldest first). */
    visitsPk: (gridId: string, householdId: string) => `${p}VISITS#${gridId}#${householdId}`,
    visit: (gridId: string, householdId: string, visitId: string): Key => ({
      pk: `${p}VISITS#${gridId}#${householdId}`,
      sk: `V#${visitId}`,
    }),
    /** gsi2 of a visit: the visitor's own visits, newest last (`<visitedAt>#<visitId>`). */
    visitsByPk: (username: string) => `${p}VBY#${username}`,
    /** The town's visit cycles (one item, replaced at its version) and each saved version (`<at>#<version>`). */
    visitCycles: (): Key => ({ pk: `${p}CONFIG`, sk: 'VISIT_CYCLES' }),
    visitCyclesLogPk: `${p}VCYCLOG`,
    visitCyclesLog: (at: string, version: number): Key => ({ pk: `${p}VCYCLOG`, sk: `${at}#${String(version).padStart(6, '0')}` }),
    /** Book corrections proposed from visits (`C#<id>`), one partition per town, one Query per status list via gsi1. */
    correctionsPk: `${p}BKFIX`,
    correction: (correctionId: string): Key => ({ pk: `${p}BKFIX`, sk: `C#${correctionId}` }),
    correctionStatusPk: (status: string) => `${p}BKFIX#${status}`,
    /** The morning reminder of one account: its due and overdue households as the 07:00 job counted them. */
    visitReminder: (username: string): Key => ({ pk: `${p}VREMIND`, sk: `U#${username}` }),
    // --- end of Visits --------------------------------------------------------------------------------
    // --- Visits, administration (issue 14): the cycles job's runs -------------------------------------
    /** One run of the cycles job (its lease and checkpoint, `R#<runId>`), the latest one named on the cycles item. */
    visitCyclesRun: (runId: string): Key => ({ pk: `${p}VCYCRUN`, sk: `R#${runId}` }),
    // --- end of Visits, administration -------------------------------------------------------------
    // --- Mediation (issue 15): each case's partition, its lists, the repeat parties (decision 161) ----
    /**
     * A case (`C`), its timeline (`E#<at>#<version>#<n>`), its invitations (`I#<invitedAt>#<n>`) and the
     * follow-up job's mark (`R`): the case's page is one Query.
     */
    mediationCasePk: (caseId: string) => `${p}MED#${caseId}`,
    mediationCase: (caseId: string): Key => ({ pk: `${p}MED#${caseId}`, sk: 'C' }),
    mediationEvent: (caseId: string, at: string, version: number, n: number): Key => ({
      pk: `${p}MED#${caseId}`,
      sk: `E#${at}#${String(version).padStart(4, '0')}#${n}`,
    }),
    mediationInvitation: (caseId: string, invitedAt: string, n: number): Key => ({ pk: `${p}MED#${caseId}`, sk: `I#${invitedAt}#${n}` }),
    mediationReminder: (caseId: string): Key => ({ pk: `${p}MED#${caseId}`, sk: 'R' }),
    /**
     * The lists, kept by the case item's own index entries: gsi1 its grid's (`MEDG#<grid>`), gsi2 the town's
     * (`MEDT`), both sorted by `<status>#…` (open: risk then newest; agreed: next follow-up due; closed and
     * failed: newest), so a view of a place is one range Query.
     */
    mediationGridPk: (gridId: string) => `${p}MEDG#${gridId}`,
    mediationTownPk: `${p}MEDT`,
    /** gsi1 of an invitation naming an account: the participant's invited cases by last day (`<until>#<caseId>#<invitedAt>`). */
    mediationInvitedPk: (username: string) => `${p}MEDINV#${username}`,
    /** The cases naming one party, keyed by the keyed hash of their ID number (never the number): repeat parties. */
    mediationPartyPk: (idHash: string) => `${p}MEDPTY#${idHash}`,
    mediationParty: (idHash: string, caseId: string): Key => ({ pk: `${p}MEDPTY#${idHash}`, sk: caseId }),
    /** The town's mediation settings (follow-up days, dispute types): one item, replaced at its version. */
    mediationSettings: (): Key => ({ pk: `${p}CONFIG`, sk: 'MEDIATION' }),
    // --- end of Mediation -------------------------------------------------------------------------
  };
}
export type TownKeys = ReturnType<typeof townKeys>;

/** Whether a partition-key value lies inside one of the given prefixes. */
export function keyAllowed(value: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => value.startsWith(p));
}

import { describe, expect, it } from 'vitest';
import { bookItems, type StoredHousehold, type StoredPerson } from './book/items';
import { keyAllowed, platformKeys, townKeys, townPrefix } from './keys';

// Keys are the storage format: changing one strands every item already written under the old one.
// Each key is pinned here to its exact string; a new key fails the completeness checks until it is.

const t = townKeys('qingshi');
const AT = '2026-11-27T08:00:00.000Z';

const town: Record<keyof typeof t, unknown> = {
  prefix: [t.prefix, 'T#qingshi#'],
  meta: [t.meta(), { pk: 'T#qingshi#META', sk: 'TOWN' }],
  config: [t.config('specialGroups'), { pk: 'T#qingshi#CONFIG', sk: 'specialGroups' }],
  configPk: [t.configPk, 'T#qingshi#CONFIG'],
  calendarCopy: [t.calendarCopy(2027), { pk: 'T#qingshi#CONFIG', sk: 'CAL#2027' }],
  closures: [t.closures(), { pk: 'T#qingshi#CONFIG', sk: 'CLOSURES' }],
  dataKey: [t.dataKey(), { pk: 'T#qingshi#VAULT', sk: 'DATAKEY' }],
  orgPk: [t.orgPk, 'T#qingshi#ORG'],
  community: [t.community('c1'), { pk: 'T#qingshi#ORG', sk: 'COMM#c1' }],
  grid: [t.grid('g1'), { pk: 'T#qingshi#ORG', sk: 'GRID#g1' }],
  courtyard: [t.courtyard('y1'), { pk: 'T#qingshi#ORG', sk: 'YARD#y1' }],
  orgHistoryPk: [t.orgHistoryPk('GRID#g1'), 'T#qingshi#ORGEV#GRID#g1'],
  orgEvent: [t.orgEvent('GRID#g1', AT, 'E1'), { pk: 'T#qingshi#ORGEV#GRID#g1', sk: `${AT}#E1` }],
  householdsPk: [t.householdsPk('g1'), 'T#qingshi#HH#g1'],
  household: [t.household('g1', 'h1'), { pk: 'T#qingshi#HH#g1', sk: 'H#h1' }],
  householdCode: [t.householdCode('A-1'), { pk: 'T#qingshi#HHCODE#A-1', sk: 'CODE' }],
  courtyardIndexPk: [t.courtyardIndexPk('y1'), 'T#qingshi#YARD#y1'],
  peoplePk: [t.peoplePk('g1'), 'T#qingshi#PPL#g1'],
  person: [t.person('g1', 'h1', 'p1'), { pk: 'T#qingshi#PPL#g1', sk: 'h1#p1' }],
  residenceIndexPk: [t.residenceIndexPk('floating'), 'T#qingshi#RES#floating'],
  nameIndexPk: [
    [t.nameIndexPk('张三'), t.nameIndexPk('𠀋字'), t.nameIndexPk('')],
    ['T#qingshi#NAME#张', 'T#qingshi#NAME#𠀋', 'T#qingshi#NAME#_'],
  ],
  idLock: [t.idLock('HASH'), { pk: 'T#qingshi#ID#HASH', sk: 'ID' }],
  tagEntry: [t.tagEntry('elderly', 'g1', 'p1'), { pk: 'T#qingshi#TAG#elderly', sk: 'g1#p1' }],
  tagPk: [t.tagPk('elderly'), 'T#qingshi#TAG#elderly'],
  keyTagEntry: [t.keyTagEntry('drugs', 'g1', 'p1'), { pk: 'T#qingshi#KTAG#drugs', sk: 'g1#p1' }],
  keyTagPk: [t.keyTagPk('drugs'), 'T#qingshi#KTAG#drugs'],
  personEventsPk: [t.personEventsPk('p1'), 'T#qingshi#PEV#p1'],
  personEvent: [t.personEvent('p1', AT, 'E1'), { pk: 'T#qingshi#PEV#p1', sk: `${AT}#E1` }],
  revealQuota: [t.revealQuota('wang', '2026-11-27T08'), { pk: 'T#qingshi#QUOTA#wang', sk: '2026-11-27T08' }],
  staffPk: [t.staffPk, 'T#qingshi#STAFF'],
  staff: [t.staff('wang'), { pk: 'T#qingshi#STAFF', sk: 'USER#wang' }],
  audit: [t.audit(AT, 'E1'), { pk: 'T#qingshi#AUDIT#2026-11-27', sk: `${AT}#E1` }],
  counters: [t.counters('GRID#g1'), { pk: 'T#qingshi#COUNT', sk: 'GRID#g1' }],
  countersPk: [t.countersPk, 'T#qingshi#COUNT'],
  report: [t.report('RECONCILE'), { pk: 'T#qingshi#REPORT', sk: 'RECONCILE' }],
  activeRunsPk: [t.activeRunsPk, 'T#qingshi#RUNS'],
  activeRun: [t.activeRun('import', 'r1'), { pk: 'T#qingshi#RUNS', sk: 'import#r1' }],
  importsPk: [t.importsPk, 'T#qingshi#IMPORT'],
  importRecord: [t.importRecord('r1'), { pk: 'T#qingshi#IMPORT', sk: 'r1' }],
  importMapping: [t.importMapping('abc'), { pk: 'T#qingshi#IMPORTMAP', sk: 'abc' }],
  // Team (issue 12)
  staffEventsPk: [t.staffEventsPk('qingshi.li'), 'T#qingshi#STAFFEV#qingshi.li'],
  staffEvent: [t.staffEvent('qingshi.li', AT, 'E1'), { pk: 'T#qingshi#STAFFEV#qingshi.li', sk: `${AT}#E1` }],
  teamPk: [t.teamPk, 'T#qingshi#TEAM'],
  teamMember: [t.teamMember('p1'), { pk: 'T#qingshi#TEAM', sk: 'C#p1' }],
  teamEventsPk: [t.teamEventsPk('p1'), 'T#qingshi#TEAMEV#p1'],
  teamEvent: [t.teamEvent('p1', AT, 'E1'), { pk: 'T#qingshi#TEAMEV#p1', sk: `${AT}#E1` }],
  teamCoverage: [t.teamCoverage('c1'), { pk: 'T#qingshi#TEAMCOV', sk: 'COMM#c1' }],
  teamCoveragePk: [t.teamCoveragePk, 'T#qingshi#TEAMCOV'],
  postsPk: [t.postsPk, 'T#qingshi#POSTS'],
  post: [t.post('mediator'), { pk: 'T#qingshi#POSTS', sk: 'P#mediator' }],
  postDuties: [t.postDuties('mediator'), { pk: 'T#qingshi#POSTS', sk: 'D#mediator' }],
  postLogPk: [t.postLogPk('mediator'), 'T#qingshi#POSTLOG#mediator'],
  postEvent: [t.postEvent('mediator', AT, 'E1'), { pk: 'T#qingshi#POSTLOG#mediator', sk: `E#${AT}#E1` }],
  postDutiesVersion: [t.postDutiesVersion('mediator', 12), { pk: 'T#qingshi#POSTLOG#mediator', sk: 'V#000012' }],
  // Training (issue 12)
  trainingYearPk: [t.trainingYearPk(2026), 'T#qingshi#TRAIN#2026'],
  trainingRow: [t.trainingRow(2026, 'k1'), { pk: 'T#qingshi#TRAIN#2026', sk: 'C#k1' }],
  trainingTotal: [t.trainingTotal(2026, 'p1'), { pk: 'T#qingshi#TRAIN#2026', sk: 'P#p1' }],
  coursePk: [t.coursePk('k1'), 'T#qingshi#COURSE#k1'],
  course: [t.course('k1'), { pk: 'T#qingshi#COURSE#k1', sk: 'COURSE' }],
  attendance: [t.attendance('k1', 'p1'), { pk: 'T#qingshi#COURSE#k1', sk: 'A#p1' }],
  upload: [t.upload('u-1'), { pk: 'T#qingshi#UPLOAD#u-1', sk: 'UPLOAD' }],
  matterPk: [t.matterPk('m1'), 'T#qingshi#MATTER#m1'],
  matter: [t.matter('m1'), { pk: 'T#qingshi#MATTER#m1', sk: 'M' }],
  matterEvent: [t.matterEvent('m1', AT, 3, 1), { pk: 'T#qingshi#MATTER#m1', sk: `E#${AT}#0003#1` }],
  matterLevelQueuePk: [t.matterLevelQueuePk('grid', 'g1'), 'T#qingshi#MQ#grid#g1'],
  matterMinePk: [t.matterMinePk('qingshi.coord1'), 'T#qingshi#MINE#qingshi.coord1'],
  matterDuePk: [t.matterDuePk, 'T#qingshi#MDUE'],
  matterDue: [t.matterDue(AT, 'm1'), { pk: 'T#qingshi#MDUE', sk: `${AT}#m1` }],
  matterGridPk: [t.matterGridPk('g1'), 'T#qingshi#MGRID#g1'],
  matterGridEntry: [t.matterGridEntry('g1', AT, 'm1'), { pk: 'T#qingshi#MGRID#g1', sk: `${AT}#m1` }],
  matterCategoryPk: [t.matterCategoryPk('safety'), 'T#qingshi#MCAT#safety'],
  matterCategoryEntry: [t.matterCategoryEntry('safety', AT, 'm1'), { pk: 'T#qingshi#MCAT#safety', sk: `${AT}#m1` }],
  matterCategoriesPk: [t.matterCategoriesPk, 'T#qingshi#MCATS'],
  matterCategory: [t.matterCategory('safety'), { pk: 'T#qingshi#MCATS', sk: 'C#safety' }],
  matterCategoryLogPk: [t.matterCategoryLogPk('safety'), 'T#qingshi#MCATLOG#safety'],
  matterCategoryLog: [t.matterCategoryLog('safety', AT, 2), { pk: 'T#qingshi#MCATLOG#safety', sk: `${AT}#000002` }],
  matterLadder: [t.matterLadder(), { pk: 'T#qingshi#CONFIG', sk: 'MATTER_LADDER' }],
  notificationsPk: [t.notificationsPk('qingshi.coord1'), 'T#qingshi#NOTE#qingshi.coord1'],
  notification: [t.notification('qingshi.coord1', AT, 'n1'), { pk: 'T#qingshi#NOTE#qingshi.coord1', sk: `${AT}#n1` }],
  visitState: [t.visitState('g1', 'h1'), { pk: 'T#qingshi#HH#g1', sk: 'V#h1' }],
  visitDueGridPk: [t.visitDueGridPk('g1'), 'T#qingshi#VDUE#G#g1'],
  visitDueCommunityPk: [t.visitDueCommunityPk('c1'), 'T#qingshi#VDUE#C#c1'],
  visitsPk: [t.visitsPk('g1', 'h1'), 'T#qingshi#VISITS#g1#h1'],
  visit: [t.visit('g1', 'h1', 'v1'), { pk: 'T#qingshi#VISITS#g1#h1', sk: 'V#v1' }],
  visitsByPk: [t.visitsByPk('qingshi.coord1'), 'T#qingshi#VBY#qingshi.coord1'],
  visitCycles: [t.visitCycles(), { pk: 'T#qingshi#CONFIG', sk: 'VISIT_CYCLES' }],
  visitCyclesLogPk: [t.visitCyclesLogPk, 'T#qingshi#VCYCLOG'],
  visitCyclesLog: [t.visitCyclesLog(AT, 3), { pk: 'T#qingshi#VCYCLOG', sk: `${AT}#000003` }],
  correctionsPk: [t.correctionsPk, 'T#qingshi#BKFIX'],
  correction: [t.correction('x1'), { pk: 'T#qingshi#BKFIX', sk: 'C#x1' }],
  correctionStatusPk: [t.correctionStatusPk('open'), 'T#qingshi#BKFIX#open'],
  visitReminder: [t.visitReminder('qingshi.coord1'), { pk: 'T#qingshi#VREMIND', sk: 'U#qingshi.coord1' }],
  visitCyclesRun: [t.visitCyclesRun('r1'), { pk: 'T#qingshi#VCYCRUN', sk: 'R#r1' }],
  // Mediation (issue 15)
  mediationCasePk: [t.mediationCasePk('m1'), 'T#qingshi#MED#m1'],
  mediationCase: [t.mediationCase('m1'), { pk: 'T#qingshi#MED#m1', sk: 'C' }],
  mediationEvent: [t.mediationEvent('m1', AT, 3, 1), { pk: 'T#qingshi#MED#m1', sk: `E#${AT}#0003#1` }],
  mediationInvitation: [t.mediationInvitation('m1', AT, 0), { pk: 'T#qingshi#MED#m1', sk: `I#${AT}#0` }],
  mediationReminder: [t.mediationReminder('m1'), { pk: 'T#qingshi#MED#m1', sk: 'R' }],
  mediationGridPk: [t.mediationGridPk('g1'), 'T#qingshi#MEDG#g1'],
  mediationTownPk: [t.mediationTownPk, 'T#qingshi#MEDT'],
  mediationInvitedPk: [t.mediationInvitedPk('qingshi.judge'), 'T#qingshi#MEDINV#qingshi.judge'],
  mediationPartyPk: [t.mediationPartyPk('HASH'), 'T#qingshi#MEDPTY#HASH'],
  mediationParty: [t.mediationParty('HASH', 'm1'), { pk: 'T#qingshi#MEDPTY#HASH', sk: 'm1' }],
  mediationSettings: [t.mediationSettings(), { pk: 'T#qingshi#CONFIG', sk: 'MEDIATION' }],
};

const platform: Record<keyof typeof platformKeys, unknown> = {
  town: [platformKeys.town('qingshi'), { pk: 'P#TOWNS', sk: 'TOWN#qingshi' }],
  townsPk: [platformKeys.townsPk, 'P#TOWNS'],
  audit: [platformKeys.audit(AT, 'E1'), { pk: 'P#AUDIT#2026-11-27', sk: `${AT}#E1` }],
  counters: [platformKeys.counters(), { pk: 'P#COUNT', sk: 'COUNTY' }],
  tenantSummary: [platformKeys.tenantSummary(), { pk: 'P#REPORT#TENANTS', sk: 'LATEST' }],
  rollupPk: [platformKeys.rollupPk('2026-Q4'), 'P#ROLLUP#2026-Q4'],
  rollupTown: [platformKeys.rollupTown('2026-11', 'qingshi'), { pk: 'P#ROLLUP#2026-11', sk: 'TOWN#qingshi' }],
  rollupCounty: [platformKeys.rollupCounty('2026-11-27'), { pk: 'P#ROLLUP#2026-11-27', sk: 'COUNTY' }],
  calendarsPk: [platformKeys.calendarsPk, 'P#CALENDAR'],
  calendar: [platformKeys.calendar(2027), { pk: 'P#CALENDAR', sk: 'YEAR#2027' }],
};

describe('town keys', () => {
  it.each(Object.entries(town))('%s', (_name, pair) => {
    const [actual, expected] = pair as [unknown, unknown];
    expect(actual).toEqual(expected);
  });

  it('are all pinned, and every partition key starts with the town prefix', () => {
    expect(Object.keys(town).sort()).toEqual(Object.keys(t).sort());
    for (const [name, pair] of Object.entries(town)) {
      if (name === 'prefix') continue;
      for (const v of [(pair as [unknown])[0]].flat()) {
        const pk = typeof v === 'string' ? v : (v as { pk: string }).pk;
        expect(pk.startsWith('T#qingshi#'), name).toBe(true);
      }
    }
  });

  it('refuse a malformed town id (one town prefix is never a prefix of another)', () => {
    expect(() => townPrefix('qing#shi')).toThrow();
    expect(keyAllowed('T#qingshi2#META', [townPrefix('qingshi')])).toBe(false);
    expect(keyAllowed('T#qingshi#META', [townPrefix('qingshi')])).toBe(true);
  });
});

describe('platform keys', () => {
  it.each(Object.entries(platform))('%s', (_name, pair) => {
    const [actual, expected] = pair as [unknown, unknown];
    expect(actual).toEqual(expected);
  });

  it('are all pinned, all under P#', () => {
    expect(Object.keys(platform).sort()).toEqual(Object.keys(platformKeys).sort());
    expect(() => platformKeys.town('a#b')).toThrow();
  });
});

describe('book items', () => {
  const items = bookItems('qingshi');
  const p = {
    personId: 'p1',
    householdId: 'h1',
    gridId: 'g1',
    name: '张三',
    residenceType: 'permanent',
    tags: ['elderly'],
    keyTags: ['drugs'],
    idHash: 'HASH',
    idMasked: '3305**********1234',
  } as StoredPerson;

  it('index a person by residence type (gsi1) and first character of the name (gsi2)', () => {
    expect(items.person(p)).toMatchObject({
      pk: 'T#qingshi#PPL#g1',
      sk: 'h1#p1',
      gsi1pk: 'T#qingshi#RES#permanent',
      gsi1sk: 'g1#p1',
      gsi2pk: 'T#qingshi#NAME#张',
      gsi2sk: '张三#p1',
      type: 'Person',
    });
    expect(items.idLock(p)).toEqual({ pk: 'T#qingshi#ID#HASH', sk: 'ID', type: 'IdLock', personId: 'p1', gridId: 'g1', householdId: 'h1' });
    expect(items.tagEntries(p).map((e) => [e.pk, e.sk])).toEqual([
      ['T#qingshi#TAG#elderly', 'g1#p1'],
      ['T#qingshi#KTAG#drugs', 'g1#p1'],
    ]);
    expect(items.personEvent('p1', AT, 'E1', 'wang', { kind: 'created' })).toEqual({
      pk: 'T#qingshi#PEV#p1',
      sk: `${AT}#E1`,
      type: 'PersonEvent',
      eventId: 'E1',
      at: AT,
      actor: 'wang',
      kind: 'created',
    });
  });

  it('index a household by courtyard (gsi1) only when it has one', () => {
    const h = { householdId: 'h1', gridId: 'g1', courtyardId: 'y1' } as StoredHousehold;
    expect(items.household(h)).toMatchObject({ pk: 'T#qingshi#HH#g1', sk: 'H#h1', gsi1pk: 'T#qingshi#YARD#y1', gsi1sk: 'h1' });
    expect(items.household({ householdId: 'h1', gridId: 'g1' } as StoredHousehold)).not.toHaveProperty('gsi1pk');
    expect(items.householdYardIndex('y2', 'h1')).toEqual({ gsi1pk: 'T#qingshi#YARD#y2', gsi1sk: 'h1' });
    expect(items.householdCode('A-1', 'g1', 'h1')).toEqual({
      pk: 'T#qingshi#HHCODE#A-1',
      sk: 'CODE',
      type: 'HouseholdCode',
      gridId: 'g1',
      householdId: 'h1',
    });
  });
});

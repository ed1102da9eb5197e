/**
 * Run as its own process against a running local stack's database (GRIDLINE_DYNAMODB_ENDPOINT): prints,
 * as JSON, what one town's book holds counted from the records themselves (a full scan, as only a test
 * may do) and the counter drift a recount finds. Tests whose process already talks to another database
 * (the data package reads its settings once) use it to look inside a stack they started.
 */
import { runInScope, townPrefix } from '@gridline/data';
import { recountTown } from '@gridline/data/recount';
import { scanAll } from '@gridline/data/admin';

const townId = process.argv[2] as string;
const mine = (await scanAll()).filter((i) => String(i.pk).startsWith(townPrefix(townId)));
const people = mine.filter((i) => i.type === 'Person');
const recount = await runInScope({ requestId: 'check', tenant: townId, allowedPrefixes: [townPrefix(townId)] }, () => recountTown(townId));
console.log(
  JSON.stringify({
    people: people.length,
    distinctIds: new Set(people.map((p) => p.idHash)).size,
    idLocks: mine.filter((i) => i.type === 'IdLock').length,
    households: mine.filter((i) => i.type === 'Household').length,
    householdCodes: mine.filter((i) => i.type === 'HouseholdCode').length,
    activeRuns: mine.filter((i) => i.type === 'ActiveRun').length,
    drift: recount.drift.length,
    recountPeople: recount.people,
    recountHouseholds: recount.households,
  }),
);

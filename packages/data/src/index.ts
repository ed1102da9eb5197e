export {
  type CommandObservation,
  DYNAMO_BUDGET,
  injectFault,
  instrumentClients,
  isUnavailable,
  observeCommands,
  setScopeEnforcement,
  unavailableError,
} from './client';
export {
  type Claim,
  claimIdempotency,
  completeIdempotency,
  digest,
  IDEMPOTENCY_LOCK_MS,
  IDEMPOTENCY_TTL_SECONDS,
  releaseIdempotency,
  type StoredResponse,
} from './idempotency';
export { probeTable, READINESS_KEY } from './health';
export { dataConfig } from './config';
export { decodeCursor, encodeCursor } from './cursor';
export { type CommandRecord, describeRequest } from './guard';
export { keyAllowed, PLATFORM_PREFIX, platformKeys, townKeys, townPrefix } from './keys';
export {
  backoffMs,
  BATCH_GET_LIMIT,
  BATCH_WRITE_LIMIT,
  batchGetAll,
  batchPutAll,
  type Change,
  chunk,
  commitChange,
  commitInChunks,
  CONFLICT_RETRY,
  getItem,
  MAX_TRANSACTION_ITEMS,
  mergeCounters,
  type Page,
  publicFields,
  queryAll,
  queryPage,
} from './ops';
export { actingForTown, currentScope, type RequestScope, runInScope } from './scope';
export { itemSize, minReadUnits } from './size';
export { createTableInput, TABLE } from './table';
export {
  countTowns,
  findTown,
  forTown,
  getTown,
  listTowns,
  provisionTown,
  saveTenantSummary,
  setTownStatus,
  type TownCounters,
  type TownData,
  type TownMeta,
} from './towns';
// The working-day calendar: at `@gridline/data/calendar`, loaded by the routes and capabilities that count with it.
// The town recount (reconcile) is at `@gridline/data/recount`: loaded by the routes and jobs that recount.
// Loaded by what uses them, so they stay out of every function's cold start: the org chart's writes
// (`@gridline/data/org`), job runs (`/job-runs`), the vault (`/vault`), blobs (`/blobs`), the recount (`/recount`).
// The population book (`@gridline/data/book`), import and export (`@gridline/data/imports`) and the county
// rollup (`@gridline/data/rollup`) are subpaths, not re-exported here: they bring the CSV and XLSX code,
// and a bundle that reaches this index at cold start would otherwise load them for every request.

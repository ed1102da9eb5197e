export { type CommandObservation, instrumentClients, observeCommands, setScopeEnforcement } from './client';
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
export { forTown, type TownCounters, type TownData, type TownMeta } from './town';
export { findTown, getTown, listTowns, provisionTown, setTownStatus } from './towns';
export { type OrgEvent, orgOf } from './org';
export { type Book, bookOf, KEY_GROUPS_PERMISSION, REVEALS_PER_HOUR } from './people';
export { type Drift, recountTown } from './recount';
export { IMPORT_FIELDS, type ImportIssue, type ImportRecord, importsOf, type OrgPlan, orgKey, type PreviewOptions } from './imports';
export { type BlobStore, blobStore, reportsStore, rollupFileKey, townBlobKey } from './blobs';
export * from './rollup';
export { type KeyWrapper, LocalKeyWrapper, type TownVault, townVault, useKeyWrapper } from './vault';

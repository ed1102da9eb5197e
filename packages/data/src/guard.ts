import { TABLE } from './table';

/** One DynamoDB call as it goes over the wire, reduced to what tenancy checks need. */
export type CommandRecord = {
  operation: string;
  /** Every partition-key value the call reads or writes (table and index keys). */
  partitionKeys: string[];
  /** Scan or PartiQL: never allowed while serving a request. */
  unscoped: boolean;
};

type AV = Record<string, unknown>;
const UNSCOPED = new Set(['Scan', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);
const PK_ATTRS: readonly string[] = TABLE.partitionKeyAttributes;

function pkValuesOfItem(item: unknown, out: string[]) {
  if (!item || typeof item !== 'object') return;
  for (const attr of PK_ATTRS) {
    const v = (item as Record<string, AV | undefined>)[attr];
    if (v && typeof v.S === 'string') out.push(v.S);
    else if (v) out.push(JSON.stringify(v));
  }
}

/** Partition-key values named by `attr = :value` clauses of a key condition. */
function pkValuesOfCondition(body: AV, out: string[]) {
  const expr = String(body.KeyConditionExpression ?? '');
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, AV>;
  for (const m of expr.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const lhs = m[1] as string;
    const attr = lhs.startsWith('#') ? names[lhs] : lhs;
    if (attr && PK_ATTRS.includes(attr)) {
      const v = values[m[2] as string];
      out.push(typeof v?.S === 'string' ? v.S : JSON.stringify(v));
    }
  }
}

/** Reads a DynamoDB JSON request (operation from X-Amz-Target) and lists the partition keys it touches. */
export function describeRequest(operation: string, body: AV): CommandRecord {
  const keys: string[] = [];
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      pkValuesOfItem(body.Key, keys);
      break;
    case 'PutItem':
      pkValuesOfItem(body.Item, keys);
      break;
    case 'Query':
      pkValuesOfCondition(body, keys);
      pkValuesOfItem(body.ExclusiveStartKey, keys);
      break;
    case 'BatchGetItem':
      for (const req of Object.values((body.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>))
        for (const k of req.Keys ?? []) pkValuesOfItem(k, keys);
      break;
    case 'BatchWriteItem':
      for (const reqs of Object.values((body.RequestItems ?? {}) as Record<string, AV[]>))
        for (const r of reqs) {
          pkValuesOfItem((r.PutRequest as AV | undefined)?.Item, keys);
          pkValuesOfItem((r.DeleteRequest as AV | undefined)?.Key, keys);
        }
      break;
    case 'TransactWriteItems':
    case 'TransactGetItems':
      for (const t of (body.TransactItems ?? []) as AV[])
        for (const part of Object.values(t) as AV[]) {
          pkValuesOfItem(part.Item, keys);
          pkValuesOfItem(part.Key, keys);
        }
      break;
    default:
      break;
  }
  return { operation, partitionKeys: keys, unscoped: UNSCOPED.has(operation) };
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@gridline/domain';
import { dataConfig } from './config';
import { type CommandRecord, describeRequest } from './guard';
import { keyAllowed } from './keys';
import { currentScope, type RequestScope } from './scope';

export type CommandObservation = CommandRecord & {
  /** The request scope the call ran in, or undefined for admin work outside any request. */
  scope: RequestScope | undefined;
  consumed: { read: number; write: number };
};
type Observer = (o: CommandObservation) => void;

const observers = new Set<Observer>();

/** Registers a listener for every DynamoDB call (tests and benchmarks); returns its removal. */
export function observeCommands(observer: Observer): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/**
 * Whether the runtime guard throws on a key outside the request's prefixes. Always on in the product;
 * the isolation suite turns it off only to prove that its own checks catch a leaking route.
 */
let enforce = true;
export function setScopeEnforcement(on: boolean) {
  enforce = on;
}

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

function sumCapacity(operation: string, consumed: Capacity | Capacity[] | undefined) {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  let read = 0;
  let write = 0;
  for (const c of list) {
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      read += c.ReadCapacityUnits ?? 0;
      write += c.WriteCapacityUnits ?? 0;
    } else if (READS.has(operation)) read += c.CapacityUnits ?? 0;
    else write += c.CapacityUnits ?? 0;
  }
  return { read, write };
}

/** The serialised request body: a string, bytes, or the SDK's string adapter (whose toString is the JSON). */
function wireBody(raw: unknown): Record<string, unknown> | null {
  if (raw === undefined || raw === null) return {};
  const text = raw instanceof Uint8Array ? new TextDecoder().decode(raw) : String(raw);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

type BuildArgs = { request: { headers: Record<string, string>; body?: unknown } };

/** Checks tenancy on the wire request and tallies consumed capacity; added to the one client below. */
function tenancyMiddleware(next: (args: BuildArgs) => Promise<{ output: { ConsumedCapacity?: Capacity | Capacity[] } }>) {
  return async (args: BuildArgs) => {
    const target = args.request.headers['x-amz-target'] ?? '';
    const operation = target.split('.')[1] ?? 'Unknown';
    const body = wireBody(args.request.body);
    const record = describeRequest(operation, body ?? {});
    const scope = currentScope();
    const outside = scope ? record.partitionKeys.filter((k) => !keyAllowed(k, scope.allowedPrefixes)) : [];
    // A body the guard cannot read is refused too: the guard fails closed.
    const violation = scope !== undefined && (body === null || record.unscoped || outside.length > 0);
    if (violation && enforce) {
      for (const o of observers) o({ ...record, scope, consumed: { read: 0, write: 0 } });
      throw new AppError('internal.tenant_scope', 500, `A ${operation} outside the request's tenant was refused.`);
    }
    const result = await next(args);
    const consumed = sumCapacity(operation, result.output.ConsumedCapacity);
    if (scope) {
      scope.consumed.read += consumed.read;
      scope.consumed.write += consumed.write;
      scope.consumed.calls += 1;
    }
    for (const o of observers) o({ ...record, scope, consumed });
    return result;
  };
}

let doc: DynamoDBDocumentClient | undefined;
let base: DynamoDBClient | undefined;

/** The process-wide client, created on first use and reused across invocations. */
export function client(): { doc: DynamoDBDocumentClient; base: DynamoDBClient; tableName: string } {
  const cfg = dataConfig();
  if (!doc || !base) {
    base = new DynamoDBClient({
      region: cfg.region,
      ...(cfg.endpoint ? { endpoint: cfg.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    base.middlewareStack.add(tenancyMiddleware as never, { step: 'build', name: 'gridlineTenancy', priority: 'low' });
    doc = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  }
  return { doc, base, tableName: cfg.tableName };
}

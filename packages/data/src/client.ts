import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
    // A write waits for the scope's pending check (a read request's town status): none goes out before it passes.
    if (scope?.writeGate && !READS.has(operation)) await scope.writeGate;
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

type Clients = { doc: DynamoDBDocumentClient; base: DynamoDBClient };
const clients = new Map<string, Clients>();

/**
 * The DynamoDB SDK, imported on the first data call rather than with this module: importing a function's
 * bundle (its cold start) then does not evaluate the SDK, and a request that never reads the table (health,
 * OpenAPI) never loads it. `commands` are the document client's command classes (GetCommand, …).
 */
type Sdk = { DynamoDBClient: typeof DynamoDBClient; DynamoDBDocumentClient: typeof DynamoDBDocumentClient; commands: Commands };
export type Commands = typeof import('@aws-sdk/lib-dynamodb');
let sdk: Sdk | undefined;
let loadingSdk: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> | Sdk {
  if (sdk) return sdk;
  loadingSdk ??= Promise.all([import('@aws-sdk/client-dynamodb'), import('@aws-sdk/lib-dynamodb')]).then(([base, lib]) => {
    sdk = { DynamoDBClient: base.DynamoDBClient, DynamoDBDocumentClient: lib.DynamoDBDocumentClient, commands: lib };
    return sdk;
  });
  return loadingSdk;
}

/** Drops the clients built so far (with resetDataConfig: tests that move to another DynamoDB). */
export function resetClients() {
  clients.clear();
}

type StsLike = { send: (cmd: AssumeRoleCommand) => Promise<{ Credentials?: Record<string, unknown> }> };
let sts: StsLike | undefined;

/** Replaces the STS client (tests: STS cannot run here, so they hand in a fake). */
export function useSts(fake: StsLike | undefined) {
  sts = fake;
  clients.clear();
  credentialsByTown.clear();
}

/**
 * Credentials of the town role, assumed with the session tag `town`: deployed, its policy limits
 * `dynamodb:LeadingKeys` to `T#<town>#*`, so even a bug in this package cannot reach another town.
 */
export function townCredentials(roleArn: string, townId: string) {
  return async () => {
    // Imported here, not at the top: only a deployed town function assumes a role, and then on its
    // first DynamoDB call; every other cold start (public, county, jobs, local) skips the STS client.
    const { AssumeRoleCommand, STSClient } = await import('@aws-sdk/client-sts');
    sts ??= new STSClient({});
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: `gridline-${townId}`,
        DurationSeconds: 900,
        Tags: [{ Key: 'town', Value: townId }],
      }),
    );
    const c = out.Credentials ?? {};
    return {
      accessKeyId: String(c.AccessKeyId),
      secretAccessKey: String(c.SecretAccessKey),
      sessionToken: String(c.SessionToken),
      expiration: c.Expiration as Date,
    };
  };
}

type Instrument = (c: DynamoDBClient) => unknown;
let instrument: Instrument | undefined;

/** Hands every DynamoDB client this package builds to `fn` (the functions' tracer), now and later. */
export function instrumentClients(fn: Instrument) {
  instrument = fn;
  for (const c of clients.values()) fn(c.base);
}

/**
 * The failure budget of a DynamoDB call made for an API request: a connection must open within 1 s, a
 * response must not go quiet for more than 1.5 s, and a call gets one retry. The worst case, about
 * 3.5 s with backoff, ends well inside the API's 29 s, so a stalled or unreachable database is a quick
 * 503, never a hang.
 */
export const DYNAMO_BUDGET = { connectionTimeoutMs: 1_000, requestTimeoutMs: 1_500, maxAttempts: 2 } as const;
/**
 * The budget of background work (jobs, imports, seeding, admin scripts): nobody waits at a screen and a
 * Lambda job has minutes, so a slow batch gets more time and more retries before the run records a
 * failure (and its lease lets the sweeper resume it). Still bounded: about a minute at worst.
 */
export const BACKGROUND_DYNAMO_BUDGET = { connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000, maxAttempts: 5 } as const;
type Budget = typeof DYNAMO_BUDGET | typeof BACKGROUND_DYNAMO_BUDGET;

const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether an SDK error means the database is unreachable, slow or throttling (retrying later may work). */
export function isUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  if (e.name && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return e.cause !== undefined && e.cause !== error && isUnavailable(e.cause);
}

/** The one error a caller sees once the budget is spent: 503 with a message safe to show. */
export function unavailableError(cause: unknown): AppError {
  return new AppError('service.unavailable', 503, 'The service is briefly unavailable; try again in a moment.', {
    cause,
    expose: true,
  });
}

type FinalArgs = Record<string, unknown>;
/** Runs outside the SDK's own retries, so it sees only what is left once the retry budget is spent. */
function unavailableMiddleware(next: (args: FinalArgs) => Promise<unknown>) {
  return async (args: FinalArgs) => {
    try {
      return await next(args);
    } catch (e) {
      throw isUnavailable(e) ? unavailableError(e) : e;
    }
  };
}

type Fault = (operation: string) => unknown;
const faults = new Set<Fault>();

/**
 * Test hook: `fault` sees every DynamoDB call just before it goes on the wire (inside the SDK's retries)
 * and may return an error to raise in place of the service's answer. DynamoDB Local never throttles and
 * never reports transaction conflicts, so fault tests inject them here. Returns its removal.
 */
export function injectFault(fault: Fault): () => void {
  faults.add(fault);
  return () => faults.delete(fault);
}

function faultMiddleware(next: (args: BuildArgs) => Promise<unknown>) {
  return async (args: BuildArgs) => {
    const operation = (args.request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'Unknown';
    for (const f of faults) {
      const error = f(operation);
      if (error) throw error;
    }
    return next(args);
  };
}

function build({ DynamoDBClient, DynamoDBDocumentClient }: Sdk, budget: Budget, credentials?: ReturnType<typeof townCredentials>): Clients {
  const cfg = dataConfig();
  const base = new DynamoDBClient({
    region: cfg.region,
    maxAttempts: budget.maxAttempts,
    requestHandler: {
      connectionTimeout: budget.connectionTimeoutMs,
      requestTimeout: budget.requestTimeoutMs,
      // Without it the SDK only warns when the time is up, and the request waits on.
      throwOnRequestTimeout: true,
    },
    ...(cfg.endpoint ? { endpoint: cfg.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    ...(credentials && !cfg.endpoint ? { credentials } : {}),
  });
  base.middlewareStack.add(tenancyMiddleware as never, { step: 'build', name: 'gridlineTenancy', priority: 'low' });
  base.middlewareStack.add(unavailableMiddleware as never, { step: 'initialize', name: 'gridlineUnavailable', priority: 'high' });
  base.middlewareStack.add(faultMiddleware as never, { step: 'finalizeRequest', name: 'gridlineFaults', priority: 'low' });
  instrument?.(base);
  return { base, doc: DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } }) };
}

/**
 * The client for the current request (and the SDK's command classes), created once per process and
 * per town and reused across
 * invocations. A town request gets the town role's credentials when GRIDLINE_TOWN_ROLE_ARN is set
 * (deployed); county work, jobs and local runs use the function's own credentials.
 */
export async function client(): Promise<Clients & { tableName: string; commands: Commands }> {
  const loaded = await loadSdk();
  const cfg = dataConfig();
  const town = scopedTown();
  const request = currentScope()?.budget === 'request';
  const id = `${town ? `town:${town.townId}` : 'function'}:${request ? 'request' : 'background'}`;
  let c = clients.get(id);
  if (!c) {
    c = build(loaded, request ? DYNAMO_BUDGET : BACKGROUND_DYNAMO_BUDGET, town?.credentials);
    clients.set(id, c);
  }
  return { ...c, tableName: cfg.tableName, commands: loaded.commands };
}

const credentialsByTown = new Map<string, ReturnType<typeof townCredentials>>();

/**
 * The town the current scope serves, with the town role's credentials, when deployed
 * (GRIDLINE_TOWN_ROLE_ARN set) and the scope is exactly one town. Every AWS client that touches town
 * data — DynamoDB, KMS for the town's data key, S3 for its uploads — is built with these.
 */
export function scopedTown(): { townId: string; credentials: ReturnType<typeof townCredentials> } | undefined {
  const scope = currentScope();
  const roleArn = process.env.GRIDLINE_TOWN_ROLE_ARN;
  if (!roleArn || !scope || scope.allowedPrefixes.length !== 1 || scope.allowedPrefixes[0] !== `T#${scope.tenant}#`) return undefined;
  let credentials = credentialsByTown.get(scope.tenant);
  if (!credentials) {
    credentials = townCredentials(roleArn, scope.tenant);
    credentialsByTown.set(scope.tenant, credentials);
  }
  return { townId: scope.tenant, credentials };
}

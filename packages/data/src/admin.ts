/**
 * Table administration for the local runtime, tests and benchmarks: never imported by a request path.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { client } from './client';
import { dataConfig, resetDataConfig } from './config';
import { resetClients } from './client';
import type { Key } from './keys';
import { createTableInput, TABLE } from './table';

/** Re-reads the data settings from the environment and rebuilds the clients (a test's own DynamoDB Local). */
export function reloadDataAccess() {
  resetDataConfig();
  resetClients();
}

/** Creates the table if missing and waits until it is active. */
export async function ensureTable(tableName = dataConfig().tableName): Promise<'created' | 'exists'> {
  const { base } = await client();
  let result: 'created' | 'exists' = 'created';
  try {
    await base.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
    result = 'exists';
  }
  for (let i = 0; i < 100; i++) {
    const d = await base.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') {
      if (result === 'created') await expireBy(tableName);
      return result;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${tableName} did not become active`);
}

/** Turns on expiry by the table definition's TTL attribute, as the deployed table has it. */
async function expireBy(tableName: string) {
  await (await client()).base.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
    }),
  );
}

export async function dropTable(tableName = dataConfig().tableName): Promise<void> {
  await (await client()).base.send(new DeleteTableCommand({ TableName: tableName }));
}

export async function listTables(): Promise<string[]> {
  return (await (await client()).base.send(new ListTablesCommand({}))).TableNames ?? [];
}

/**
 * Every item of the table, for tests and benchmarks only (their recounts and table diffs): a Scan is never allowed while
 * serving a request, and the tenancy guard refuses one inside a request scope.
 */
export async function scanAll(tableName = dataConfig().tableName): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    // A Scan on purpose: tests and benchmarks read the whole table to check it; the tenancy guard refuses this in any request.
    const out = await (await client()).doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * GetItem and Query through a plain document client (no tenancy guard, no capacity tally, no tracing),
 * shaped as the data package's own reads: the baseline the benchmark holds the API's reads against.
 */
export function plainReads() {
  const cfg = dataConfig();
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: cfg.region,
      ...(cfg.endpoint ? { endpoint: cfg.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  );
  const TableName = cfg.tableName;
  return {
    get: async (key: Key) =>
      (await doc.send(new GetCommand({ TableName, Key: key, ConsistentRead: false, ReturnConsumedCapacity: 'TOTAL' }))).Item,
    query: async (pk: string, limit: number) =>
      (
        await doc.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': 'pk' },
            ExpressionAttributeValues: { ':pk': pk },
            Limit: limit,
            ScanIndexForward: true,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        )
      ).Items ?? [],
    close: () => doc.destroy(),
  };
}

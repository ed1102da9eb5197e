/**
 * How DynamoDB Local reports the write units of a transaction, checked on every run against the
 * documented price: a scratch table, N one-attribute items written once in a TransactWriteItems and once
 * in a BatchWriteItem; then read back in a BatchGetItem, and N keys that find nothing read the same way. Raw JSON over HTTP (DynamoDB Local checks no signature): the DynamoDB client
 * stays inside packages/data.
 */
export type Calibration = {
  items: number;
  transactExpected: number;
  transactReported: number;
  batchExpected: number;
  batchReported: number;
  /** A BatchGetItem (eventually consistent) of `items` keys that exist, and of `items` keys that do not. */
  readFoundExpected: number;
  readFoundReported: number;
  readMissingExpected: number;
  readMissingReported: number;
};

const TABLE = 'bench-calibration';
const ITEMS = 4;

export async function calibrate(endpoint: string): Promise<Calibration> {
  const call = async (op: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${op}`,
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(body),
    });
    const out = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`calibration ${op} failed: ${JSON.stringify(out)}`);
    return out;
  };
  const units = (out: Record<string, unknown>) =>
    ((out.ConsumedCapacity as Array<{ CapacityUnits?: number }> | undefined) ?? []).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
  const item = (id: string) => ({ pk: { S: id } });

  await call('CreateTable', {
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  try {
    const ids = Array.from({ length: ITEMS }, (_, i) => i);
    const tx = await call('TransactWriteItems', {
      TransactItems: ids.map((i) => ({ Put: { TableName: TABLE, Item: item(`t${i}`) } })),
      ReturnConsumedCapacity: 'TOTAL',
    });
    const batch = await call('BatchWriteItem', {
      RequestItems: { [TABLE]: ids.map((i) => ({ PutRequest: { Item: item(`b${i}`) } })) },
      ReturnConsumedCapacity: 'TOTAL',
    });
    const read = (prefix: string) =>
      call('BatchGetItem', { RequestItems: { [TABLE]: { Keys: ids.map((i) => item(`${prefix}${i}`)) } }, ReturnConsumedCapacity: 'TOTAL' });
    const found = await read('t');
    const missing = await read('m');
    return {
      items: ITEMS,
      transactExpected: 2 * ITEMS,
      transactReported: units(tx),
      batchExpected: ITEMS,
      batchReported: units(batch),
      // Each key of a batch is billed as a GetItem, a miss at the minimum: 0.5 RCU eventually consistent.
      readFoundExpected: 0.5 * ITEMS,
      readFoundReported: units(found),
      readMissingExpected: 0.5 * ITEMS,
      readMissingReported: units(missing),
    };
  } finally {
    await call('DeleteTable', { TableName: TABLE });
  }
}

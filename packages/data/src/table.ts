/**
 * The one table: names, keys and indexes. The CDK stack, the local runtime and the tests all read this
 * module, so the deployed table and the local one cannot drift apart. No LSIs: they would cap an item
 * collection at 10 GB and cannot be added later.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  /** Attributes holding a partition key value, on the table or an index: each must carry a tenant prefix. */
  partitionKeyAttributes: ['pk', 'gsi1pk', 'gsi2pk'],
  /** Epoch seconds after which DynamoDB may delete the item (idempotency records). */
  timeToLiveAttribute: 'expiresAt',
} as const;

export type IndexName = (typeof TABLE.globalIndexes)[number]['indexName'];

/** The CreateTable request for DynamoDB Local and tests (the CDK stack builds the same shape from TABLE). */
export function createTableInput(tableName: string) {
  const attrs = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const g of TABLE.globalIndexes) {
    attrs.add(g.partitionKey);
    attrs.add(g.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attrs].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE.globalIndexes.map((g) => ({
      IndexName: g.indexName,
      KeySchema: [
        { AttributeName: g.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: g.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}

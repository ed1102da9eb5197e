import { describe, expect, it } from 'vitest';
import { describeRequest } from './guard';

const S = (s: string) => ({ S: s });

describe('describeRequest', () => {
  it('reads keys of single-item calls', () => {
    expect(describeRequest('GetItem', { Key: { pk: S('T#a#META'), sk: S('TOWN') } }).partitionKeys).toEqual(['T#a#META']);
    expect(describeRequest('PutItem', { Item: { pk: S('T#a#X'), sk: S('1'), gsi1pk: S('T#a#I') } }).partitionKeys).toEqual([
      'T#a#X',
      'T#a#I',
    ]);
    expect(describeRequest('DeleteItem', { Key: { pk: S('T#b#X'), sk: S('1') } }).partitionKeys).toEqual(['T#b#X']);
  });

  it('reads the partition key of a query, through attribute names, and its start key', () => {
    const r = describeRequest('Query', {
      IndexName: 'gsi1',
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
      ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
      ExpressionAttributeValues: { ':pk': S('T#a#I'), ':sk': S('x') },
      ExclusiveStartKey: { pk: S('T#b#Y'), sk: S('1'), gsi1pk: S('T#a#I'), gsi1sk: S('2') },
    });
    expect(r.partitionKeys).toEqual(['T#a#I', 'T#b#Y', 'T#a#I']);
  });

  it('reads every key of batches and transactions', () => {
    expect(
      describeRequest('BatchWriteItem', {
        RequestItems: {
          t: [{ PutRequest: { Item: { pk: S('T#a#1'), sk: S('1') } } }, { DeleteRequest: { Key: { pk: S('T#b#2'), sk: S('2') } } }],
        },
      }).partitionKeys,
    ).toEqual(['T#a#1', 'T#b#2']);
    expect(
      describeRequest('BatchGetItem', { RequestItems: { t: { Keys: [{ pk: S('P#TOWN#a'), sk: S('TOWN') }] } } }).partitionKeys,
    ).toEqual(['P#TOWN#a']);
    expect(
      describeRequest('TransactWriteItems', {
        TransactItems: [
          { Put: { Item: { pk: S('T#a#1'), sk: S('1') } } },
          { Update: { Key: { pk: S('T#a#2'), sk: S('2') } } },
          { ConditionCheck: { Key: { pk: S('T#c#3'), sk: S('3') } } },
        ],
      }).partitionKeys,
    ).toEqual(['T#a#1', 'T#a#2', 'T#c#3']);
  });

  it('marks Scan and PartiQL as unscoped', () => {
    for (const op of ['Scan', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'])
      expect(describeRequest(op, {}).unscoped).toBe(true);
    expect(describeRequest('Query', {}).unscoped).toBe(false);
  });
});

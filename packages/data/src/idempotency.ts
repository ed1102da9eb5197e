import { createHash } from 'node:crypto';
import { client } from './client';
import { idempotencyKey, type Key } from './keys';
import { currentScope } from './scope';

/** How long a key is remembered (DynamoDB's TTL deletes the record some time after `expiresAt`). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/**
 * How long an attempt holds its key. Longer than any API request may run (API Gateway stops at 30 s),
 * so a second attempt never runs beside the first; after it, an attempt that died unfinished is taken over.
 */
export const IDEMPOTENCY_LOCK_MS = 35_000;
/** Responses larger than this are not kept (an item holds 400 KB); a retry then learns the change is in. */
const MAX_STORED_RESPONSE = 300_000;

export type StoredResponse = { status: number; body: string };
type IdempotencyItem = Key & {
  type: 'Idempotency';
  state: 'in_progress' | 'completed';
  attempt: string;
  fingerprint: string;
  lockedUntil?: number;
  applied?: boolean;
  response?: StoredResponse;
  expiresAt: number;
};

/** What a request holding an idempotency key may do. */
export type Claim =
  /** First time (or an earlier attempt died before changing anything): run, then `completeIdempotency`. */
  | { kind: 'run'; key: Key; attempt: string }
  /** Done before: answer what was answered then. */
  | { kind: 'replay'; response: StoredResponse }
  /** The key was used for a different request. */
  | { kind: 'mismatch' }
  /** An earlier attempt is still running. */
  | { kind: 'in_progress' }
  /** An earlier attempt committed its change but its answer was lost and could not be kept. */
  | { kind: 'applied' };

/** A digest of anything: used for the key (route, caller, key) and the request's fingerprint. */
export const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);

function scopePrefix(): string {
  const prefix = currentScope()?.allowedPrefixes[0];
  if (!prefix) throw new Error('An idempotency key needs a request scope with a tenant');
  return prefix;
}

/**
 * Claims an idempotency key for this attempt, or says why not. `identity` names the route and the caller
 * (so two users' keys never meet); `fingerprint` is the request's digest (path, query and body).
 */
export async function claimIdempotency(identity: string, fingerprint: string, attempt: string, now = Date.now()): Promise<Claim> {
  const { doc, tableName, commands } = await client();
  const key = idempotencyKey(scopePrefix(), digest(identity));
  const item: IdempotencyItem = {
    ...key,
    type: 'Idempotency',
    state: 'in_progress',
    attempt,
    fingerprint,
    lockedUntil: now + IDEMPOTENCY_LOCK_MS,
    expiresAt: Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
  try {
    await doc.send(
      new commands.PutCommand({
        TableName: tableName,
        Item: item,
        // New, or an attempt that died (its lock ran out) without applying anything: taken over.
        ConditionExpression: 'attribute_not_exists(pk) OR (#s = :prog AND #l < :now AND attribute_not_exists(#a) AND #f = :f)',
        ExpressionAttributeNames: { '#s': 'state', '#l': 'lockedUntil', '#a': 'applied', '#f': 'fingerprint' },
        ExpressionAttributeValues: { ':prog': 'in_progress', ':now': now, ':f': fingerprint },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return { kind: 'run', key, attempt };
  } catch (e) {
    if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
  }
  const out = await doc.send(
    new commands.GetCommand({ TableName: tableName, Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
  );
  const found = out.Item as IdempotencyItem | undefined;
  if (!found) return { kind: 'in_progress' };
  if (found.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (found.state === 'completed' && found.response) return { kind: 'replay', response: found.response };
  // Applied means the change is in, whether or not its first attempt is still finishing: never run it again.
  if (found.applied) return { kind: 'applied' };
  return { kind: 'in_progress' };
}

/** Keeps the answer of a successful attempt for its retries. */
export async function completeIdempotency(claim: { key: Key; attempt: string }, response: StoredResponse): Promise<void> {
  const { doc, tableName, commands } = await client();
  const keep = Buffer.byteLength(response.body) <= MAX_STORED_RESPONSE;
  await doc.send(
    new commands.UpdateCommand({
      TableName: tableName,
      Key: claim.key,
      UpdateExpression: keep ? 'SET #s = :done, #r = :r REMOVE #l' : 'SET #s = :done REMOVE #l',
      ConditionExpression: '#att = :att',
      ExpressionAttributeNames: { '#s': 'state', '#l': 'lockedUntil', '#att': 'attempt', ...(keep ? { '#r': 'response' } : {}) },
      ExpressionAttributeValues: { ':done': 'completed', ':att': claim.attempt, ...(keep ? { ':r': response } : {}) },
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
}

/**
 * Lets go of a key after a failed attempt (its lock ends now), so the retry runs afresh; a key whose
 * change was applied in the meantime keeps its lock (its retry must not apply it again). Best effort: a
 * record that cannot be released now is taken over once its lock runs out. An update, not a delete:
 * nothing in Gridline deletes items, and the deployed policies allow none.
 */
export async function releaseIdempotency(claim: { key: Key; attempt: string }): Promise<void> {
  const { doc, tableName, commands } = await client();
  try {
    await doc.send(
      new commands.UpdateCommand({
        TableName: tableName,
        Key: claim.key,
        UpdateExpression: 'SET #l = :zero',
        ConditionExpression: '#att = :att AND attribute_not_exists(#a)',
        ExpressionAttributeNames: { '#l': 'lockedUntil', '#att': 'attempt', '#a': 'applied' },
        ExpressionAttributeValues: { ':att': claim.attempt, ':zero': 0 },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  } catch {
    // Either the change was applied (the lock must hold) or the database is away (the lock runs out).
  }
}

/**
 * The transaction item that marks this attempt's key as applied, when the request holds one: it commits
 * with the change, so "applied" is true exactly when the change is in.
 */
type MarkerItem = {
  Update: {
    TableName: string;
    Key: Key;
    UpdateExpression: string;
    ConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  };
};
export function idempotencyMarker(): ((tableName: string) => MarkerItem) | undefined {
  const held = currentScope()?.idempotency;
  if (!held) return undefined;
  return (tableName) => ({
    Update: {
      TableName: tableName,
      Key: held.key,
      UpdateExpression: 'SET #a = :t',
      ConditionExpression: '#att = :att',
      ExpressionAttributeNames: { '#a': 'applied', '#att': 'attempt' },
      ExpressionAttributeValues: { ':t': true, ':att': held.attempt },
    },
  });
}

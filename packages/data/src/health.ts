import { client } from './client';
import { currentScope, runInScope } from './scope';

const PROBE_PREFIX = 'P#HEALTH';
/** The one key a readiness check reads (public requests may touch it and nothing else). */
export const READINESS_KEY = `${PROBE_PREFIX}#READY`;

/**
 * Proves the table answers a read: one eventually consistent GetItem of a key that never holds data,
 * in a scope of its own, so the guard still sees (and allows) exactly that one key.
 */
export async function probeTable(): Promise<void> {
  const outer = currentScope();
  await runInScope(
    {
      requestId: outer?.requestId ?? 'probe',
      tenant: 'health',
      allowedPrefixes: [PROBE_PREFIX],
      ...(outer ? { consumed: outer.consumed } : {}),
      // A probe for an API request fails as fast as the request would (the readiness answer is a 503).
      ...(outer?.budget ? { budget: outer.budget } : {}),
    },
    async () => {
      const { doc, tableName, commands } = await client();
      await doc.send(
        new commands.GetCommand({ TableName: tableName, Key: { pk: READINESS_KEY, sk: 'READY' }, ReturnConsumedCapacity: 'TOTAL' }),
      );
    },
  );
}

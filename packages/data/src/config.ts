import * as z from '@gridline/domain/zod';

const envSchema = z.object({
  GRIDLINE_TABLE: z._default(z.string().check(z.minLength(3)), 'gridline'),
  /** Set for DynamoDB Local; unset when deployed. */
  GRIDLINE_DYNAMODB_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(z.string(), 'cn-north-1'),
  /** HMAC secret for pagination cursors. */
  GRIDLINE_CURSOR_SECRET: z.optional(z.string().check(z.minLength(16))),
});

export type DataConfig = { tableName: string; endpoint: string | undefined; region: string; cursorSecret: string };

let cached: DataConfig | undefined;

/** Forgets the settings and clients read so far (tests that point the data package at another DynamoDB). */
export function resetDataConfig() {
  cached = undefined;
}

/** Reads the data settings from the environment once per process. */
export function dataConfig(): DataConfig {
  if (cached) return cached;
  const env = envSchema.parse(process.env);
  const secret = env.GRIDLINE_CURSOR_SECRET;
  cached = {
    tableName: env.GRIDLINE_TABLE,
    endpoint: env.GRIDLINE_DYNAMODB_ENDPOINT,
    region: env.AWS_REGION,
    // Asked for only where cursors are made or read: the public function (readiness) holds no secret.
    get cursorSecret(): string {
      if (!secret) throw new Error('GRIDLINE_CURSOR_SECRET is not set');
      return secret;
    },
  };
  return cached;
}

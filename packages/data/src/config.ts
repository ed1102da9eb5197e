import * as z from 'zod';

const envSchema = z.object({
  GRIDLINE_TABLE: z.string().min(3).default('gridline'),
  /** Set for DynamoDB Local; unset when deployed. */
  GRIDLINE_DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().default('cn-north-1'),
  /** HMAC secret for pagination cursors. */
  GRIDLINE_CURSOR_SECRET: z.string().min(16).optional(),
});

export type DataConfig = { tableName: string; endpoint: string | undefined; region: string; cursorSecret: string };

let cached: DataConfig | undefined;

/** Reads the data settings from the environment once per process. */
export function dataConfig(): DataConfig {
  if (cached) return cached;
  const env = envSchema.parse(process.env);
  const cursorSecret = env.GRIDLINE_CURSOR_SECRET;
  if (!cursorSecret) throw new Error('GRIDLINE_CURSOR_SECRET is not set');
  cached = {
    tableName: env.GRIDLINE_TABLE,
    endpoint: env.GRIDLINE_DYNAMODB_ENDPOINT,
    region: env.AWS_REGION,
    cursorSecret,
  };
  return cached;
}

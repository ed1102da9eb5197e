import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

// Each test file works in a table of its own, so files can run in parallel against one DynamoDB Local.
process.env.GRIDLINE_DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
process.env.GRIDLINE_TABLE = `test-${randomBytes(6).toString('hex')}`;
process.env.GRIDLINE_CURSOR_SECRET = randomBytes(24).toString('base64url');
process.env.AWS_REGION = 'cn-north-1';
process.env.GRIDLINE_MASTER_KEY = randomBytes(32).toString('base64');
// Imports are paced in production; tests measure behaviour, not patience.
process.env.GRIDLINE_IMPORT_WCU_PER_SECOND = '1000000';
process.env.GRIDLINE_BLOB_DIR = join(tmpdir(), `gridline-blobs-${process.env.GRIDLINE_TABLE}`);

const { ensureTable } = await import('@gridline/data/admin');
await ensureTable();

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const probes = join(root, 'functions', 'src', '__lint_probe__');
const domainProbes = join(root, 'packages', 'domain', 'src', '__lint_probe__');
afterAll(() => {
  rmSync(probes, { recursive: true, force: true });
  rmSync(domainProbes, { recursive: true, force: true });
});

function lint(file: string, source: string, dir = probes) {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, source);
  return spawnSync(join(root, 'node_modules', '.bin', 'biome'), ['lint', path], { cwd: root, encoding: 'utf8' });
}

describe('the lint rules that hold the architecture', () => {
  it('refuse the DynamoDB client outside packages/data', () => {
    const r = lint('client.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const c = DynamoDBClient;\n");
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('Only packages/data may use the DynamoDB client');
  });

  it('refuse the named zod import that defeats tree-shaking', () => {
    const r = lint('zod.ts', "import { z } from 'zod';\nexport const s = z.string();\n");
    expect(r.status).not.toBe(0);
  });

  it('refuse raw items, keys and counters of the data package in handlers', () => {
    const r = lint(
      'raw.ts',
      "import { getItem, platformKeys } from '@gridline/data';\nexport const c = () => getItem(platformKeys.counters());\n",
    );
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('domain-named functions of @gridline/data');
    const ok = lint('named.ts', "import { countTowns } from '@gridline/data';\nexport const c = countTowns;\n");
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  });

  it('refuse classic zod in shipped code outside functions/, and let tests keep it', () => {
    const classic = "import * as z from 'zod';\nexport const s = z.string();\n";
    const r = lint('classic.ts', classic, domainProbes);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('uses zod/mini');
    const test = lint('classic.test.ts', classic, domainProbes);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    const mini = lint('mini.ts', "import * as z from '@gridline/domain/zod';\nexport const s = z.string();\n", domainProbes);
    expect(mini.status, mini.stdout + mini.stderr).toBe(0);
  });

  it('refuse classic zod in functions/src, even as a namespace (decision 57)', () => {
    const r = lint('classic.ts', "import * as z from 'zod';\nexport const s = z.string();\n");
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('zod/mini');
  });

  it('accept the namespace import of zod/mini', () => {
    const r = lint('ok.ts', "import * as z from 'zod/mini';\nexport const s = z.string();\n");
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

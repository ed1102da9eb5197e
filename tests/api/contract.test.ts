import { readFileSync } from 'node:fs';
import { boundRoutes } from '@gridline/functions';
import { implement, type RouteSpec } from '@gridline/functions/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { startTestStack, type TestStack } from '../support/stack';

/** A route that answers with the wrong shape on purpose, to prove the contract check bites. */
const wrongSpec = {
  id: 'fixture.wrong_shape',
  method: 'GET',
  path: '/fixture/wrong-shape',
  area: 'public',
  audience: 'public',
  roles: [],
  response: z.object({ count: z.number() }),
  summary: 'Fixture: answers with a string where its schema says a number',
} as const satisfies RouteSpec;
const wrongRoute = implement(wrongSpec, async () => ({ body: { count: 'three' } }));

describe('the API contract', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ routes: [...boundRoutes, wrongRoute] });
  });
  afterAll(() => stack.close());

  it('serves the OpenAPI document that is checked in at docs/openapi.json', async () => {
    const r = await stack.call('GET', '/openapi.json');
    expect(r.status).toBe(200);
    const checkedIn = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(r.body).toEqual(checkedIn);
  });

  it('turns a response that does not match its schema into a failure the test sees', async () => {
    expect(process.env.GRIDLINE_CHECK_RESPONSES).toBe('1');
    const r = await stack.call('GET', '/fixture/wrong-shape');
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ error: { code: 'contract.response_mismatch' } });
    expect((r.body as { error: { message: string } }).error.message).toContain('count');
  });
});

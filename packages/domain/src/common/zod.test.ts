import { describe, expect, it } from 'vitest';
import { newPersonSchema } from '../book/api';
import { townSpecSchema } from '../towns/api';
import * as z from './zod';

// zod/mini loads no locale of its own: without the English one configured in ./zod a refusal would only
// say "Invalid input". This file imports no classic zod, which would configure English by itself.
describe('refusals of the zod/mini schemas', () => {
  it('say what is wrong in English', () => {
    const town = z.safeParse(townSpecSchema, { name: '', admin: { username: 'ok.admin', displayName: 'A' } });
    expect(town.success).toBe(false);
    expect(town.error?.issues[0]?.message).toBe('Too small: expected string to have >=1 characters');
    const person = z.safeParse(newPersonSchema, { name: '张三', gender: 'female' });
    expect(person.success).toBe(false);
    expect(person.error?.issues.map((i) => i.message)).toContain('Invalid input: expected string, received undefined');
  });

  it('keep the messages the domain gives its own rules', () => {
    const r = z.safeParse(townSpecSchema, { name: 'x', admin: { username: 'NO', displayName: 'A' } });
    expect(r.error?.issues[0]?.message).toBe('username: 3–64 lower-case letters, digits, dot, _ or -');
  });
});

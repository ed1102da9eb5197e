import fc from 'fast-check';
import type * as z from 'zod';

type Internals = {
  def: Record<string, unknown> & { type: string };
  bag: Record<string, unknown>;
};
const internals = (s: unknown) => (s as { _zod: Internals })._zod;

/**
 * A fast-check arbitrary of values a zod schema accepts, read from the schema itself, so every route's
 * params, query and body can be generated without test code per route. `asText` renders leaves as
 * strings, as path parameters and query strings arrive.
 */
export function arbitraryFor(schema: z.core.$ZodType | undefined, asText = false): fc.Arbitrary<unknown> {
  if (!schema) return fc.constant(undefined);
  const { def, bag } = internals(schema);
  const text = <T>(a: fc.Arbitrary<T>) => (asText ? a.map((v) => String(v)) : a);
  switch (def.type) {
    case 'string': {
      const min = (bag.minimum as number | undefined) ?? 0;
      const max = (bag.maximum as number | undefined) ?? 40;
      const patterns = [...((bag.patterns as Set<RegExp> | undefined) ?? [])];
      const base = patterns[0]
        ? fc.stringMatching(patterns[0])
        : fc.string({ minLength: min, maxLength: Math.min(max, min + 40), unit: 'grapheme' });
      return base.filter((s) => s.length >= min && s.length <= max && patterns.every((p) => p.test(s)) && s.trim() === s);
    }
    case 'number': {
      const min = (bag.minimum as number | undefined) ?? -1e6;
      const max = (bag.maximum as number | undefined) ?? 1e6;
      return text(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }));
    }
    case 'boolean':
      return text(fc.boolean());
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'optional':
      return fc.option(arbitraryFor(def.innerType as z.core.$ZodType, asText), { nil: undefined });
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      return arbitraryFor(def.innerType as z.core.$ZodType, asText);
    case 'nullable':
      return fc.option(arbitraryFor(def.innerType as z.core.$ZodType, asText), { nil: null });
    case 'pipe':
      return arbitraryFor(def.in as z.core.$ZodType, asText);
    case 'array':
      return fc.array(arbitraryFor(def.element as z.core.$ZodType, asText), { maxLength: 4 });
    case 'union':
      return fc.oneof(...(def.options as z.core.$ZodType[]).map((o) => arbitraryFor(o, asText)));
    case 'object': {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      const entries = Object.entries(shape).map(([k, v]) => [k, arbitraryFor(v, asText)] as const);
      return fc.record(Object.fromEntries(entries)).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default:
      return fc.anything();
  }
}

/** Values no schema should accept quietly: odd types, odd strings, deep and wide structures. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    ' ',
    '#',
    'T#taoyuan#META',
    '../../etc/passwd',
    '%00',
    '\u0000',
    'null',
    '{}',
    '💥',
    'a'.repeat(5000),
    '<script>x</script>',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.integer(),
  fc.double(),
);

/** Mutates one field of a valid object: drop it, retype it or add an unknown one. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), hostileValue, fc.constantFrom('drop', 'retype', 'extra')).map(([v, n, bad, how]) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return bad;
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = keys.length ? (keys[n % keys.length] as string) : 'x';
    if (how === 'drop') delete copy[key];
    else if (how === 'retype') copy[key] = bad;
    else copy[`unexpected_${n % 7}`] = bad;
    return copy;
  });
}

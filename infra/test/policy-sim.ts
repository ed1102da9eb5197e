/**
 * A small evaluator of IAM statements, enough for the conditions these policies use: StringLike /
 * StringEquals with the ForAllValues / ForAnyValue set operators and IfExists, Null, ArnEquals /
 * ArnLike, the negated forms (StringNotEquals, ArnNotEquals, …: true when the key is absent), and
 * policy variables such as `${aws:PrincipalTag/town}`. Resources are matched only when the request names one
 * (the statements must then carry resolved ARNs, see resolveValue in support.ts); otherwise the tests
 * pass only the statements that target one resource, such as the table. Explicit deny wins, then any
 * allow, else the implicit deny.
 */
export type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  /** Resolved ARN patterns; consulted only when the request names a resource. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
};

export type SimRequest = {
  action: string;
  /** dynamodb:LeadingKeys of the request; undefined when the request carries none (a Scan). */
  leadingKeys?: string[];
  principalTags?: Record<string, string>;
  /** Other single-valued condition keys, e.g. dynamodb:ReturnValues or kms:EncryptionContext:town. */
  context?: Record<string, string>;
  /** Other multi-valued condition keys, e.g. aws:TagKeys of an AssumeRole with session tags. */
  multiValued?: Record<string, string[]>;
  /** The ARN the request acts on; when set, a statement applies only if one of its resources matches. */
  resource?: string;
};

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function glob(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(value);
}

/** Replaces policy variables; undefined when one has no value (the pattern then matches nothing). */
function substitute(pattern: string, req: SimRequest): string | undefined {
  let missing = false;
  const out = pattern.replace(/\$\{aws:PrincipalTag\/([^}]+)\}/g, (_m, tag: string) => {
    const v = req.principalTags?.[tag];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}

function values(key: string, req: SimRequest): string[] | undefined {
  if (key === 'dynamodb:LeadingKeys') return req.leadingKeys;
  const many = req.multiValued?.[key];
  if (many !== undefined) return many;
  const v = req.context?.[key];
  return v === undefined ? undefined : [v];
}

function matchOne(op: string, pattern: string, value: string): boolean {
  // ARN operators compare component by component and allow wildcards in each; for the whole-ARN
  // patterns used here, a glob over the full string decides the same.
  if (op === 'StringLike' || op === 'ArnLike' || op === 'ArnEquals') return glob(pattern, value);
  if (op === 'StringEquals') return pattern === value;
  throw new Error(`policy-sim: unsupported operator ${op}`);
}

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

function conditionHolds(operator: string, key: string, expected: string[], req: SimRequest): boolean {
  const actual = values(key, req);
  const positive = NEGATED[operator];
  if (positive) {
    // A negated operator holds for a request without the key (IAM's rule), else when nothing matches.
    if (actual === undefined) return true;
    return !conditionHolds(positive, key, expected, req);
  }
  if (operator === 'Null') {
    const wantAbsent = expected[0] === 'true';
    return wantAbsent ? actual === undefined || actual.length === 0 : actual !== undefined && actual.length > 0;
  }
  let op = operator;
  let set: 'all' | 'any' | undefined;
  if (op.startsWith('ForAllValues:')) {
    set = 'all';
    op = op.slice('ForAllValues:'.length);
  } else if (op.startsWith('ForAnyValue:')) {
    set = 'any';
    op = op.slice('ForAnyValue:'.length);
  }
  let ifExists = false;
  if (op.endsWith('IfExists')) {
    ifExists = true;
    op = op.slice(0, -'IfExists'.length);
  }
  const patterns = expected.map((p) => substitute(p, req)).filter((p): p is string => p !== undefined);
  const anyPattern = (v: string) => patterns.some((p) => matchOne(op, p, v));
  if (set === 'all') return (actual ?? []).every(anyPattern);
  if (set === 'any') return (actual ?? []).some(anyPattern);
  if (actual === undefined) return ifExists;
  return actual.length === 1 && anyPattern(actual[0] as string);
}

function resourceMatches(s: Statement, req: SimRequest): boolean {
  if (req.resource === undefined) return true;
  if (s.Resource === undefined) throw new Error(`policy-sim: statement ${s.Sid ?? ''} has no resource to match`);
  const resource = req.resource;
  return list(s.Resource).some((r) => {
    const pattern = substitute(r, req);
    return pattern !== undefined && glob(pattern, resource);
  });
}

function applies(s: Statement, req: SimRequest): boolean {
  if (!list(s.Action).some((a) => glob(a, req.action))) return false;
  if (!resourceMatches(s, req)) return false;
  for (const [op, byKey] of Object.entries(s.Condition ?? {}))
    for (const [key, expected] of Object.entries(byKey)) if (!conditionHolds(op, key, list(expected), req)) return false;
  return true;
}

export function decide(statements: Statement[], req: SimRequest): 'allow' | 'deny' {
  if (statements.some((s) => s.Effect === 'Deny' && applies(s, req))) return 'deny';
  return statements.some((s) => s.Effect === 'Allow' && applies(s, req)) ? 'allow' : 'deny';
}

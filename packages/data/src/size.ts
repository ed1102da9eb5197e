/**
 * DynamoDB's item size: attribute names plus values (strings as UTF-8, numbers about one byte per two
 * significant digits plus one, booleans and nulls one byte, lists and maps three bytes plus one per element).
 * Used by the benchmarks to compute the least a read can cost.
 */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') {
    // Significant digits: DynamoDB trims leading and trailing zeros (1000 and 0.001 are one digit each).
    const mantissa = Math.abs(v).toExponential().split('e')[0] as string;
    const digits = mantissa.replace('.', '').replace(/0+$/, '').length || 1;
    return Math.ceil(digits / 2) + 1;
  }
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + valueSize(x), 0);
  if (typeof v === 'object') return 3 + itemSize(v as Record<string, unknown>) + Object.keys(v).length;
  return 0;
}

/** Read units an eventually consistent read of these bytes costs at the least (4 KB per unit, halved). */
export const minReadUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096)) * 0.5;

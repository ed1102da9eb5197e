const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid 18-character national ID for tests: region, birth date, sequence (odd = male), GB 11643 check. */
export function testIdNumber(region: string, birth: string, sequence: number): string {
  const body = `${region}${birth.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] as number), 0);
  return body + '10X98765432'[sum % 11];
}

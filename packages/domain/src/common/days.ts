/** The Asia/Shanghai calendar day (yyyy-mm-dd) of an instant (UTC+8 all year, no daylight saving). */
export function shanghaiDay(at: string | Date): string {
  return new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

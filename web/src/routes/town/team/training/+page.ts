import { todayInChina } from '$lib/book/context';
import { started } from '$lib/load';
import { guardTeam } from '$lib/team/guard';
import { training } from '$lib/training/api';
import { yearOf } from '$lib/training/ledger';

/** The training ledger of a year (`?year=`, else this year in China): its courses and each person's hours. */
export function load({ url }) {
  const session = guardTeam(url);
  const year = yearOf(url.searchParams.get('year'), todayInChina());
  return { session, year, ledger: started(training.year(year)) };
}

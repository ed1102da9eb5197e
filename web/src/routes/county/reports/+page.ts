import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { trendAround } from '$lib/rollups/api';
import { reportAt } from '$lib/rollups/format';
import { englishTownNames } from '$lib/towns/api';
import { isCountyRole } from '@gridline/domain/rules';

/**
 * The first trend the address asks for and the towns' English names. Read once: a later change of
 * the address (another metric, period or town) is the page's to follow, without running this again.
 */
export function load({ url, untrack }) {
  const session = requireRole(url, isCountyRole);
  const { metric, kind, period } = untrack(() => reportAt(url.searchParams));
  return {
    session,
    trend: { key: `${metric}|${kind}|${period}`, pending: started(trendAround(metric, kind, period)) },
    townNames: englishTownNames(),
  };
}

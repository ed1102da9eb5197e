import { mapApi } from '$lib/map/api';
import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { isTownRole } from '@gridline/domain/rules';

export function load({ url }) {
  const session = requireRole(url, isTownRole);
  return { session, start: started(Promise.all([townContext(), mapApi.town()])) };
}

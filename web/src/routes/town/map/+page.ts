import { mapApi } from '$lib/map/api';
import { townContext } from '$lib/book/context';
import { isTownStaff, requireRole } from '$lib/guard';
import { started } from '$lib/load';

export function load({ url }) {
  const session = requireRole(url, isTownStaff);
  return { session, start: started(Promise.all([townContext(), mapApi.town()])) };
}

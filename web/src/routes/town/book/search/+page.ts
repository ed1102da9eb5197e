import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { canReadPeople } from '@gridline/domain/rules';

export function load({ url }) {
  const session = requireRole(url, canReadPeople);
  return { session, context: started(townContext()) };
}

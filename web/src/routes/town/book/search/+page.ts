import { townContext } from '$lib/book';
import { requireRole } from '$lib/guard';
import { started } from '$lib/town';
import { canReadPeople } from '@gridline/domain/rules';

export function load({ url }) {
  const session = requireRole(url, canReadPeople);
  return { session, context: started(townContext()) };
}

import { todayInChina, townContext } from '$lib/book/context';
import { started } from '$lib/load';
import { team } from '$lib/team/api';
import { guardTeam } from '$lib/team/guard';
import { training } from '$lib/training/api';

/** A person's record and history, and the town context (grids, posts) its forms offer. */
export function load({ url, params }) {
  const session = guardTeam(url);
  return {
    session,
    coordinatorId: params.coordinatorId,
    context: started(townContext()),
    record: started(team.get(params.coordinatorId)),
    training: started(training.person(params.coordinatorId, Number(todayInChina().slice(0, 4)))),
  };
}

import { started } from '$lib/load';
import { team } from '$lib/team/api';
import { canRecordTeam } from '$lib/team/stages';
import { guardTeam } from '$lib/team/guard';
import { training } from '$lib/training/api';

/** A course and its attendance; for town admins also the team, whose people the attendance form offers. */
export function load({ url, params }) {
  const session = guardTeam(url);
  return {
    session,
    courseId: params.courseId,
    detail: started(training.course(params.courseId)),
    team: started(canRecordTeam(session.user.role) ? team.all() : Promise.resolve([])),
  };
}

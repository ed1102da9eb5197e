import { beforeAll } from 'vitest';
import { apiSpecs } from './specs/api';
import { jobsSpecs } from './specs/jobs';
import { observabilitySpecs } from './specs/observability';
import { type Synthesized, synthGridline } from './support';

// One synthesis shared by the API, jobs and observability assertions (with an alarm e-mail set).
let s: Synthesized;
beforeAll(() => {
  s = synthGridline({ context: { 'gridline:alarmEmail': 'ops@example.org' } });
});
apiSpecs(() => s);
jobsSpecs(() => s);
observabilitySpecs(() => s);

import { beforeAll } from 'vitest';
import { apiSpecs } from './specs/api';
import { jobsSpecs } from './specs/jobs';
import { observabilitySpecs } from './specs/observability';
import { SYNTH_TIMEOUT, type Synthesized, synthGridline } from './support';

// One synthesis shared by the API, jobs and observability assertions (with an alarm e-mail set).
let s: Synthesized;
beforeAll(() => {
  s = synthGridline({ context: { 'gridline:alarmEmail': 'ops@example.org' } });
}, SYNTH_TIMEOUT);
apiSpecs(() => s);
jobsSpecs(() => s);
observabilitySpecs(() => s);

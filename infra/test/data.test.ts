import { beforeAll } from 'vitest';
import { accessSpecs } from './specs/access';
import { dataSpecs } from './specs/data';
import { SYNTH_TIMEOUT, type Synthesized, synthGridline } from './support';

// One synthesis (about 3 s) shared by the data and data-access assertions.
let s: Synthesized;
beforeAll(() => {
  s = synthGridline();
}, SYNTH_TIMEOUT);
dataSpecs(() => s);
accessSpecs(() => s);

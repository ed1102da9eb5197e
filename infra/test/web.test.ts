import { beforeAll } from 'vitest';
import { identitySpecs } from './specs/identity';
import { webSpecs } from './specs/web';
import { SYNTH_TIMEOUT, type Synthesized, synthGridline } from './support';

// One synthesis shared by the web (CloudFront) and identity (Cognito) assertions.
let s: Synthesized;
beforeAll(() => {
  s = synthGridline();
}, SYNTH_TIMEOUT);
webSpecs(() => s);
identitySpecs(() => s);

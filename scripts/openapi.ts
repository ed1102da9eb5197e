// Writes docs/openapi.json from the route table (`pnpm openapi`); a unit test fails while it is stale.
import { writeFileSync } from 'node:fs';
import { openApiText } from '../functions/src/openapi';

const target = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(target, openApiText());
console.log(`wrote ${target.pathname}`);

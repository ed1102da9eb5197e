import { openapi } from '$lib/api-docs/api';
import { started } from '$lib/load';

/** The reference is public: the document (and where to download it) is read for anyone. */
export function load() {
  return { href: started(openapi.href()), doc: started(openapi.document()) };
}

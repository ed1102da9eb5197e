import { en } from 'zod/locales';
import * as mini from 'zod/mini';

/*
 * zod for shipped code: the `zod/mini` functional API with English messages. `zod/mini` loads no locale
 * (classic `zod` loads English on import), so without this line a refusal would only say "Invalid input".
 * Every schema module imports `z` from here, so whoever parses has the locale configured (decision 44).
 */
mini.config(en());

export * from 'zod/mini';

import { catalogReady } from '$lib/i18n';

// A static single-page app: everything renders in the browser, nothing is prerendered, and the
// host serves index.html for every path (adapter-static's fallback).
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

import type { LayoutLoad } from './$types';

// The active language's message catalog comes in chunks; nothing renders before what a page needs is
// here. Sign-in needs only the shell (header, sign-in, errors); every other page needs the pages too.
const SHELL_ONLY = /^\/login(\/|$)/;
export const load: LayoutLoad = ({ url }) => catalogReady(SHELL_ONLY.test(url.pathname) ? ['shell'] : ['shell', 'pages']);

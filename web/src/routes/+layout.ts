import { catalogReady } from '$lib/i18n';

// A static single-page app: everything renders in the browser, nothing is prerendered, and the
// host serves index.html for every path (adapter-static's fallback).
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

// The active language's message catalog comes as its own chunk; nothing renders before it is here.
export const load = () => catalogReady();

// A static single-page app: everything renders in the browser, nothing is prerendered, and the
// host serves index.html for every path (adapter-static's fallback).
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

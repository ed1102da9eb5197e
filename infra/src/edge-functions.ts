/**
 * CloudFront Functions (viewer request), as source text. Kept to the small JavaScript subset CloudFront
 * Functions run; the tests evaluate the same text to check the rewrites.
 */

/**
 * `/api/*` → the HTTP API. The route table's paths have no `/api` prefix (the local server strips it
 * too), so the prefix comes off here: `/api/town/me` → `/town/me`. The query string is untouched.
 */
export const STRIP_API_PREFIX = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/api') {
    request.uri = '/';
  } else if (uri.indexOf('/api/') === 0) {
    request.uri = uri.substring(4);
  }
  return request;
}`;

/**
 * The single-page app: any path whose last segment has no file extension is a client-side route and
 * gets index.html (the local server does the same). Files (`/_app/…/x.js`, `/config.json`) pass as they are.
 * A function rather than CloudFront custom error pages, because those apply to the whole distribution
 * and would turn the API's own 403/404 answers into index.html.
 */
export const SPA_FALLBACK = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`;

import adapter from '@sveltejs/adapter-static';

/**
 * A static single-page app: nothing is rendered on a server. Every path falls back to index.html,
 * which the local stack and CloudFront both serve for unknown paths.
 */
/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', precompress: false, strict: true }),
    // Split by route: the population map's chart code (ECharts, about 450 KB) must load only on the
    // map page, and 'single' inlines every dynamic import. Kit's short inline start-up script relies
    // on the `script-src 'unsafe-inline'` that the local stack and CloudFront send.
    output: { bundleStrategy: 'split' },
  },
};

export default config;

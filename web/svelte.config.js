import adapter from '@sveltejs/adapter-static';

/**
 * A static single-page app: nothing is rendered on a server. Every path falls back to index.html,
 * which the local stack and CloudFront both serve for unknown paths.
 */
/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', precompress: false, strict: true }),
    // The app is small: one JS and one CSS file. Kit's short inline start-up script relies on the
    // `script-src 'unsafe-inline'` that the local stack and CloudFront send.
    output: { bundleStrategy: 'single' },
  },
};

export default config;

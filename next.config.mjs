/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and wasm packages load from node_modules at run time; bundling PGlite breaks it.
  // pino too: it resolves its worker files at run time.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'pino', 'highs'], // highs: bundled, its wasm is looked for under /_next/static
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    serverActions: { bodySizeLimit: '2mb' },
    authInterrupts: true,
  },
  async rewrites() {
    // /summaries/{slug}.csv and .json: the download route of the summary (a page owns /summaries/{slug}).
    return {
      beforeFiles: [{ source: '/summaries/:slug([a-z0-9-]+)\\.:format(csv|json)', destination: '/summaries/:slug/download/:format' }],
    };
  },
  async headers() {
    // The Content-Security-Policy (with a per-request nonce) is set in proxy.ts.
    return [
      {
        source: '/:path*',
        headers: [
          // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on plain form
          // posts, and Next refuses every server action without JavaScript. No referrer leaves the site either way.
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), interest-cohort=()' },
        ],
      },
    ];
  },
};

export default nextConfig;

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { STATIC_SECURITY_HEADERS } from './lib/security-headers';

const webDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(webDir, '..');

/**
 * The workspace packages are consumed from their TypeScript sources (the `@patchline/source`
 * export condition), as Vitest and `tsx` do, so `next dev` picks up edits to `shared/` without a
 * `tsc -b` in between. Turbopack has no custom export conditions, so each entry point is aliased
 * to its source file; the webpack branch mirrors it for `next build --webpack`.
 */
const workspaceSources = {
  '@patchline/shared/client': '../shared/src/client/index.ts',
  '@patchline/shared': '../shared/src/index.ts',
  '@patchline/permissions': '../permissions/src/index.ts',
} as const;

const nextConfig: NextConfig = {
  transpilePackages: ['@patchline/shared', '@patchline/permissions'],
  // npm workspaces hoist dependencies to the repository root, and the aliased sources live
  // beside web/: both must sit inside Turbopack's root and the output file tracing root.
  outputFileTracingRoot: repoRoot,
  turbopack: {
    root: repoRoot,
    resolveAlias: Object.fromEntries(
      Object.entries(workspaceSources).map(([name, path]) => [name, `./${join('web', path)}`]),
    ),
  },
  webpack(config: { resolve: { alias?: Record<string, string>; conditionNames?: string[] } }) {
    config.resolve.alias = {
      ...config.resolve.alias,
      ...Object.fromEntries(
        Object.entries(workspaceSources).map(([name, path]) => [`${name}$`, join(webDir, path)]),
      ),
    };
    return config;
  },
  // `next dev` logs every request's URL; a share link's URL is its token (README.md, "Security model").
  logging: { incomingRequests: { ignore: [/^\/share\//] } },
  // On every response, static files included; the Content-Security-Policy, which carries a nonce
  // per page, is set by proxy.ts.
  async headers() {
    return [{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] }];
  },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;

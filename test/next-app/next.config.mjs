// The app of test/adapters/next-app.node-only.test.ts.
import { fileURLToPath } from 'node:url';

// The repo's root: `vk-miniapp-auth`, `next` and `react` resolve from there.
const root = fileURLToPath(new URL('../..', import.meta.url));

// VK_NEXT_APP_CACHE_COMPONENTS=1 builds the app as create-next-app sets one up,
// with Cache Components. Next then refuses any `runtime` export at build time
// ("Route segment config "runtime" is not compatible with
// `nextConfig.cacheComponents`"), so the Edge route is named route.edge.ts,
// and `edge.ts` is a page extension only in the build without it.
const cacheComponents = process.env.VK_NEXT_APP_CACHE_COMPONENTS === '1';

/** @type {import('next').NextConfig} */
export default {
  distDir: process.env.VK_NEXT_APP_DIST_DIR || '.next',
  // The test builds into a distDir of its own each run. Without
  // strictRouteTypes, `next build` adds `<distDir>/types/**/*.ts` to
  // tsconfig.json's include, so every run would rewrite it; with it, Next
  // reaches those types (RouteContext, the check of each route's exports
  // against the same RouteHandlerConfig) through next-env.d.ts, which is
  // gitignored, and leaves tsconfig.json as committed. Experimental in Next 16;
  // Next's source marks it as the coming default.
  experimental: { strictRouteTypes: true },
  turbopack: { root },
  outputFileTracingRoot: root,
  ...(cacheComponents
    ? { cacheComponents: true, partialPrefetching: true, pageExtensions: ['ts'] }
    : { pageExtensions: ['ts', 'edge.ts'] }),
};

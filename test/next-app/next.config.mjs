// The app of test/adapters/next-app.node-only.test.ts. Plain JavaScript: with a
// TypeScript file in app/, `next build` requires @types/react (and runs npm to
// install it when it is missing), which this repository does not depend on.
import { fileURLToPath } from 'node:url';

// The repo's root: `vk-miniapp-auth`, `next` and `react` resolve from there.
const root = fileURLToPath(new URL('../..', import.meta.url));

// VK_NEXT_APP_CACHE_COMPONENTS=1 builds the app as create-next-app sets one up,
// with Cache Components. Next then refuses any `runtime` export at build time
// ("Route segment config "runtime" is not compatible with
// `nextConfig.cacheComponents`"), so the Edge route is named route.edge.js,
// and `edge.js` is a page extension only in the build without it.
const cacheComponents = process.env.VK_NEXT_APP_CACHE_COMPONENTS === '1';

/** @type {import('next').NextConfig} */
export default {
  distDir: process.env.VK_NEXT_APP_DIST_DIR || '.next',
  turbopack: { root },
  outputFileTracingRoot: root,
  ...(cacheComponents
    ? { cacheComponents: true, partialPrefetching: true, pageExtensions: ['js'] }
    : { pageExtensions: ['js', 'edge.js'] }),
};

import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'tsdown';

/** One entry per subpath of package.json "exports" (index is "."). */
export const entries = {
  index: 'src/index.ts',
  express: 'src/adapters/express.ts',
  fastify: 'src/adapters/fastify.ts',
  nestjs: 'src/adapters/nestjs.ts',
  hono: 'src/adapters/hono.ts',
  koa: 'src/adapters/koa.ts',
  next: 'src/adapters/next.ts',
  client: 'src/client.ts',
  testing: 'src/testing.ts',
  payments: 'src/payments.ts',
};

const webRuntime = fileURLToPath(new URL('./src/crypto/runtime.web.ts', import.meta.url));

// The Web build is the same source with Web Crypto behind it: the only file
// that differs is the one that picks the crypto backend.
const useWebCrypto = {
  name: 'vk-miniapp-auth:web-crypto',
  resolveId(id: string) {
    return /^(?:\.{1,2}\/)+crypto\/runtime\.js$/.test(id) ? webRuntime : null;
  },
};

const shared: UserConfig = {
  entry: entries,
  format: ['esm', 'cjs'],
  fixedExtension: true,
  target: 'es2022',
  clean: true,
  sourcemap: false,
  // Plugin timing warnings say only that this machine is slow; they hide real warnings.
  checks: { pluginTimings: false },
  outputOptions: {
    // Rolldown's CJS interop helpers otherwise land in whichever chunk comes
    // first (once fastify.cjs), making the core require an optional peer.
    codeSplitting: { groups: [{ name: 'runtime', test: /rolldown[\\/]runtime/ }] },
  },
};

export default defineConfig([
  { ...shared, outDir: 'dist/node', platform: 'node', dts: true },
  // The command-line tool: Node only, ESM, no types; its own folder so `clean` leaves the rest alone.
  {
    ...shared,
    entry: { 'vk-miniapp-auth': 'src/cli/main.ts' },
    format: ['esm'],
    outDir: 'dist/cli',
    platform: 'node',
    dts: false,
    outputOptions: { banner: '#!/usr/bin/env node' },
  },
  { ...shared, outDir: 'dist/web', platform: 'neutral', dts: false, plugins: [useWebCrypto] },
]);

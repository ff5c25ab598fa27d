import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'tsdown';

import { ENTRIES } from './scripts/entries.mjs';

/** One entry per subpath of package.json "exports" (index is "."), from scripts/entries.mjs. */
export const entries = Object.fromEntries(ENTRIES.map(({ name, source }) => [name, source]));
/** The entries that also get a Web build. */
const webEntries = Object.fromEntries(ENTRIES.filter(({ web }) => web).map(({ name, source }) => [name, source]));

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
  { ...shared, entry: webEntries, outDir: 'dist/web', platform: 'neutral', dts: false, plugins: [useWebCrypto] },
]);

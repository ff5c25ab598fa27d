import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'tsdown';

import { ENTRIES } from './scripts/entries.mjs';

/** One entry per subpath of package.json "exports" (index is "."), from scripts/entries.mjs. */
export const entries = Object.fromEntries(ENTRIES.map(({ name, source }) => [name, source]));
/** The entries that also get a Web build. */
const webEntries = Object.fromEntries(ENTRIES.filter(({ web }) => web).map(({ name, source }) => [name, source]));

// The crypto back end is chosen by package.json's "imports" (#crypto): the Node
// build resolves it with the `node` condition, the Web build gets its `default`
// target, Web Crypto. Nothing else differs between the two builds.

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
  {
    ...shared,
    entry: webEntries,
    outDir: 'dist/web',
    platform: 'neutral',
    dts: false,
    // #crypto's `default` target, named outright: the bundler's CommonJS output would
    // otherwise resolve package.json's "imports" with the `node` condition too.
    alias: { '#crypto': fileURLToPath(new URL('./src/crypto/runtime.web.ts', import.meta.url)) },
  },
]);

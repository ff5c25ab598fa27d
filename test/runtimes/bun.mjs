// Bun runner (node_modules/.bin/bun --no-install --no-env-file test/runtimes/bun.mjs):
// loads the package by name; Bun matches the `node` export condition, so it
// must get the Node build (node:crypto, much faster there than Web Crypto: see
// docs/speed.md), for both `import` and `require`, and runs the suite on each.
import { fileURLToPath } from 'node:url';
import { resolvePackage, runByName } from './by-name.mjs';

await runByName({
  runtime: 'bun',
  version: Bun.version,
  expected: { import: '/dist/node/index.mjs', require: '/dist/node/index.cjs' },
  // Bun returns a file: URL from import.meta.resolve, like Node; accept a path too.
  resolved: resolvePackage((specifier) => (specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier)),
});

// Bun runner (node_modules/.bin/bun --no-install --no-env-file test/runtimes/bun.mjs):
// loads the package by name, so Bun's `bun` export condition must pick the Web
// Crypto build, for both `import` and `require`, and runs the suite on each.
import { fileURLToPath } from 'node:url';
import { resolvePackage, runByName } from './by-name.mjs';

await runByName({
  runtime: 'bun',
  version: Bun.version,
  expected: { import: '/dist/web/index.mjs', require: '/dist/web/index.cjs' },
  // Bun returns a file: URL from import.meta.resolve, like Node; accept a path too.
  resolved: resolvePackage((specifier) => (specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier)),
});

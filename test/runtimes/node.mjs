// Node runner: loads the package by its own name, as an app would, through
// `exports` (self-reference), once via `import` and once via `require`, checks
// both land on the node:crypto build, and runs the suite on each.
import { fileURLToPath } from 'node:url';
import { resolvePackage, runByName } from './by-name.mjs';

await runByName({
  runtime: 'node',
  version: process.versions.node,
  expected: { import: '/dist/node/index.mjs', require: '/dist/node/index.cjs' },
  resolved: resolvePackage(fileURLToPath),
});

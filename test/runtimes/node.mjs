// Node runner: loads the package by its own name, as an app would, through
// `exports` (self-reference), once via `import` and once via `require`, checks
// both land on the node:crypto build, and runs the suite on each.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runSuite } from './suite.mjs';

const require = createRequire(import.meta.url);
const vectors = JSON.parse(readFileSync(new URL('../../../shared/docs/vectors.json', import.meta.url), 'utf8'));
const expected = { import: '/dist/node/index.mjs', require: '/dist/node/index.cjs' };
const resolved = {
  import: fileURLToPath(import.meta.resolve('vk-miniapp-auth')),
  require: require.resolve('vk-miniapp-auth'),
};

const report = { runtime: 'node', version: process.versions.node, resolved, passed: 0, failed: 0, failures: [] };
for (const [how, lib] of [
  ['import', await import('vk-miniapp-auth')],
  ['require', require('vk-miniapp-auth')],
]) {
  const result = await runSuite(lib, vectors);
  // A wrong build would still pass the suite, so the path is checked as a test.
  if (resolved[how].replaceAll('\\', '/').endsWith(expected[how])) {
    result.passed++;
  } else {
    result.failed++;
    result.failures.push(`${how} resolved to ${resolved[how]}, not ${expected[how]}`);
  }
  report.passed += result.passed;
  report.failed += result.failed;
  report.failures.push(...result.failures.map((failure) => `[${how}] ${failure}`));
}

console.log(JSON.stringify(report));
if (report.failed > 0) process.exitCode = 1;

// Bun runner (node_modules/.bin/bun --no-install --no-env-file test/runtimes/bun.mjs):
// loads the package by name, so Bun's `bun` export condition must pick the Web
// Crypto build, for both `import` and `require`, and runs the suite on each.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runSuite } from './suite.mjs';

const require = createRequire(import.meta.url);
const vectors = JSON.parse(readFileSync(new URL('../../../shared/docs/vectors.json', import.meta.url), 'utf8'));
const expected = { import: '/dist/web/index.mjs', require: '/dist/web/index.cjs' };
// Bun returns a file: URL from import.meta.resolve, like Node; accept a path too.
const toPath = (specifier) => (specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier);
const resolved = {
  import: toPath(import.meta.resolve('vk-miniapp-auth')),
  require: require.resolve('vk-miniapp-auth'),
};

const report = { runtime: 'bun', version: Bun.version, resolved, passed: 0, failed: 0, failures: [] };
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

// Shared by the Node and Bun runners: loads the package by its own name via
// `import` and `require`, runs the suite on each, and counts the resolved path
// as one more check, since a wrong build would still pass the suite.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runSuite } from './suite.mjs';

const require = createRequire(import.meta.url);

/** Runs the suite on both module systems; `expected` and `resolved` map 'import'/'require' to paths. */
export async function runByName({ runtime, version, expected, resolved }) {
  const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8'));
  const report = { runtime, version, resolved, passed: 0, failed: 0, failures: [] };
  for (const [how, lib, payments] of [
    ['import', await import('vk-miniapp-auth'), await import('vk-miniapp-auth/payments')],
    ['require', require('vk-miniapp-auth'), require('vk-miniapp-auth/payments')],
  ]) {
    const result = await runSuite(lib, vectors, payments);
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
}

/** Where `vk-miniapp-auth` resolves from here, as file paths. */
export function resolvePackage(toPath) {
  return { import: toPath(import.meta.resolve('vk-miniapp-auth')), require: require.resolve('vk-miniapp-auth') };
}

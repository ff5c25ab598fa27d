// Proves the built package works beyond Node: the same core suite
// (test/runtimes/suite.mjs) runs on Node, Bun, Deno and workerd, each loading
// dist/ the way that runtime's users would. Runs once, in the node-crypto
// project (vitest.config.ts excludes *.node-only.test.ts from the other).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const vectorsPath = fileURLToPath(new URL('./fixtures/vectors.json', import.meta.url));
// One suite run has ~32 checks; a much lower count means tests silently went missing.
const MIN_PASSED_PER_RUN = 30;
// Any date up to the installed workerd's own (2026-04-26) works; fixed so results don't drift.
const COMPATIBILITY_DATE = '2026-04-01';

interface RunnerReport {
  runtime: string;
  resolved?: unknown;
  passed: number;
  failed: number;
  failures: string[];
}

/** Runs a runner script; resolves to its exit code and the JSON line it printed last. */
function runRunner(command: string, args: string[]): Promise<{ code: number; report: RunnerReport }> {
  const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PACKAGE_JSON: '1' };
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: root, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ code, report: JSON.parse(last) as RunnerReport });
      } catch {
        reject(new Error(`${args.join(' ')} printed no JSON report (exit ${code}).\n${stdout}\n${stderr}`));
      }
    });
  });
}

function expectClean({ code, report }: { code: number; report: RunnerReport }, runs: number): void {
  expect(report.failures).toEqual([]);
  expect(report.failed).toBe(0);
  expect(report.passed).toBeGreaterThanOrEqual(runs * MIN_PASSED_PER_RUN);
  expect(code).toBe(0);
}

/**
 * A test that needs an extra runtime binary: skipped with a warning when the
 * binary is missing locally (e.g. install scripts were not run), failed under CI.
 */
function runtimeIt(name: string, binary: string, body: () => Promise<void>): void {
  const runs = existsSync(binary) && spawnSync(binary, ['--version'], { timeout: 20_000 }).status === 0;
  if (!runs && !process.env.CI) {
    console.warn(`[runtimes] ${binary} is missing or does not start: skipping "${name}" (under CI this fails).`);
    it.skip(name, body);
    return;
  }
  it(name, async () => {
    if (!runs) throw new Error(`${binary} is missing or does not start; CI must test every runtime (npm ci).`);
    await body();
  });
}

describe('the built package on every runtime', () => {
  beforeAll(() => {
    const missing = ['dist/node/index.mjs', 'dist/node/index.cjs', 'dist/web/index.mjs', 'dist/web/index.cjs'].filter(
      (file) => !existsSync(join(root, file)),
    );
    if (missing.length > 0) {
      throw new Error(`dist/ is not built (missing ${missing.join(', ')}): run \`npm run build\` (npm test does).`);
    }
  });

  it('Node resolves the node:crypto build for import and require, and passes', async () => {
    const result = await runRunner(process.execPath, ['test/runtimes/node.mjs']);
    expectClean(result, 2);
  });

  runtimeIt('Bun picks the Node build through the `node` condition, and passes', bin('bun'), async () => {
    const result = await runRunner(bin('bun'), ['--no-install', '--no-env-file', 'test/runtimes/bun.mjs']);
    expectClean(result, 2);
  });

  // No permission flags at all: static local imports need none. The rest keep
  // Deno from reading deno.json/package.json, writing a lockfile or installing.
  runtimeIt('Deno runs the Node build with no permissions, and passes', bin('deno'), async () => {
    const flags = ['--no-config', '--no-lock', '--no-npm', '--no-remote', '--node-modules-dir=none', '--no-prompt'];
    const result = await runRunner(bin('deno'), ['run', ...flags, 'test/runtimes/deno.mjs']);
    expectClean(result, 1);
  });

  runtimeIt('a Cloudflare Worker (workerd via miniflare) runs the Web build, and passes', bin('workerd'), async () => {
    const module = (type: 'ESModule' | 'Text', path: string, contents?: string) => ({
      type,
      path: join(root, path),
      contents: contents ?? readFileSync(join(root, path), 'utf8'),
    });
    const miniflare = new Miniflare({
      modulesRoot: root,
      modules: [
        module('ESModule', 'test/runtimes/worker.mjs'),
        module('ESModule', 'test/runtimes/suite.mjs'),
        // The entry and the chunks it shares with the adapters.
        ...readdirSync(join(root, 'dist/web'))
          .filter((name) => name.endsWith('.mjs'))
          .map((name) => module('ESModule', `dist/web/${name}`)),
        // Not a real file: the worker imports test/fixtures/vectors.json under this name.
        module('Text', 'test/runtimes/vectors.json', readFileSync(vectorsPath, 'utf8')),
      ],
      // No nodejs_compat: a `node:` import in the Web build must fail here.
      compatibilityDate: COMPATIBILITY_DATE,
    });
    try {
      const response = await miniflare.dispatchFetch('http://localhost/');
      const report = (await response.json()) as RunnerReport;
      expectClean({ code: response.status === 200 ? 0 : response.status, report }, 1);
    } finally {
      await miniflare.dispose();
    }
  });
});

describe('the Web build, read as text', () => {
  // Every module specifier in a bundle: static and dynamic imports, re-exports, require().
  const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'`]([^"'`]+)["'`]/g;
  const specifiersOf = (code: string): string[] => [...code.matchAll(SPECIFIER)].map((match) => match[1] as string);
  // JSDoc survives the build and may name Node APIs in prose; only code counts.
  const codeOf = (file: string): string =>
    readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
  const builtins = new Set(builtinModules);
  const webFiles = existsSync(join(root, 'dist/web'))
    ? readdirSync(join(root, 'dist/web')).filter((name) => /\.(?:mjs|cjs)$/.test(name))
    : [];

  it('has an ESM and a CJS file to check', () => {
    expect(webFiles).toEqual(expect.arrayContaining(['index.mjs', 'index.cjs']));
  });

  it('the check itself finds node:crypto in the Node build', () => {
    // The entries share chunks, so look through every file of each format.
    for (const extension of ['.mjs', '.cjs']) {
      const files = readdirSync(join(root, 'dist/node')).filter((name) => name.endsWith(extension));
      const specifiers = files.flatMap((name) => specifiersOf(codeOf(join(root, 'dist/node', name))));
      expect(specifiers).toContain('node:crypto');
    }
  });

  for (const name of webFiles) {
    it(`dist/web/${name} imports no Node built-in and uses no Buffer`, () => {
      const code = codeOf(join(root, 'dist/web', name));
      const nodeOnly = specifiersOf(code).filter(
        (specifier) => specifier.startsWith('node:') || builtins.has(specifier),
      );
      expect(nodeOnly).toEqual([]);
      expect(code).not.toMatch(/["'`]node:/);
      expect(code).not.toMatch(/\bBuffer\b/);
    });
  }
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { CHALLENGE_NO_CREDENTIALS } from './fixtures.js';

/** The NestJS major the repo develops against (its devDependencies); 10 and 11 run from nestjs-versions.node-only.test.ts. */
export const REPO_NEST_MAJOR = 12;

/** The Nest packages an app of the smoke, or an in-repo test, loads. */
export const NEST_PACKAGES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
] as const;

/** The version of `name` as seen from `from` (a file), by Node's own resolution. */
export function versionFrom(from: string, name: string): string {
  const manifest = createRequire(from).resolve(`${name}/package.json`);
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

/** Checks that each of `names`, resolved from `from` (a file), is of NestJS major `major`. */
export function expectNestMajor(from: string, major: number, names: readonly string[] = NEST_PACKAGES): void {
  for (const name of names) {
    expect(versionFrom(from, name), `${name} as resolved from ${from}`).toMatch(new RegExp(`^${major}\\.`));
  }
}

/**
 * Checks the JSON line a smoke app prints last (nestjs-dist-smoke.mjs for the
 * ESM app, nestjs-dist-smoke.cjs for the CommonJS app): for each way the app
 * loaded the built adapter (the ESM app by `import` and by `require`, the
 * CommonJS app by `require`) and each platform, the app ran in the module
 * system meant, on the build file meant and on NestJS `nest` (whose packages
 * are ES modules from 12 on); a valid launch gets in, none is refused with the
 * challenge for a request without credentials (no error code), and a public
 * route stays open.
 */
export function expectSmokeAnswers(stdout: string, { app, nest }: { app: 'esm' | 'cjs'; nest: number }): void {
  const answers = {
    ok: [200, { user_id: 7 }],
    refused: [401, CHALLENGE_NO_CREDENTIALS, 'MISSING_CREDENTIALS'],
    health: 200,
  };
  const version = {
    version: expect.stringMatching(new RegExp(`^${nest}\\.`)),
    type: nest >= 12 ? 'module' : 'commonjs',
  };
  const builds =
    app === 'esm'
      ? { import: 'dist/node/nestjs.mjs', require: 'dist/node/nestjs.cjs' }
      : { require: 'dist/node/nestjs.cjs' };
  const expected: Record<string, unknown> = {};
  for (const [load, adapter] of Object.entries(builds)) {
    for (const platform of ['express', 'fastify']) {
      expected[`${load}/${platform}`] = { app, adapter, nest: version, ...answers };
    }
  }
  expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual(expected);
}

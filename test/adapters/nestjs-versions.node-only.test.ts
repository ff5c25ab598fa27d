// The built package against NestJS 10 and 11, the older majors of the adapter's
// peer range (`^10.0.0 || ^11.0.0 || ^12.0.0`); the rest of the suite runs the
// repo's Nest 12. The adapter imports `@nestjs/*` by name, so they resolve from
// wherever the package sits: it is packed (`npm pack`) and installed into a temp
// project whose node_modules holds that major (test/nestjs-versions/<major>,
// locked), where the smoke apps of the Nest 12 test run unchanged over real
// HTTP on Express and Fastify: the ESM app (nestjs-dist-smoke.mjs, loading the
// adapter by `import` and by `require`) and the CommonJS app
// (nestjs-dist-smoke.cjs), which share nestjs-smoke-app.cjs.
// Needs the npm registry (or npm's cache): without it the test fails under CI
// and is skipped locally, with a warning.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectNestMajor, expectSmokeAnswers, NEST_PACKAGES, versionFrom } from './nestjs-smoke-answers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Each older major, with the Express and Fastify majors its platforms bring. */
const MAJORS = [
  { nest: 10, express: 4, fastify: 4 },
  { nest: 11, express: 5, fastify: 5 },
];
/** The smoke: each app's entry script, and the app they share. */
const SMOKE = { esm: 'nestjs-dist-smoke.mjs', cjs: 'nestjs-dist-smoke.cjs', shared: 'nestjs-smoke-app.cjs' } as const;
// What npm prints (`npm error code E...`) when it cannot reach the registry and has nothing cached.
const OFFLINE =
  /^npm (?:error|ERR!) code (?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ENOTCACHED)\b/m;

class NpmUnreachable extends Error {}

/** Runs a command; resolves to its stdout, rejects with its output (NpmUnreachable for a network failure of npm). */
function run(command: string, args: string[], cwd: string, timeout: number): Promise<string> {
  const env = { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' };
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      const message = `${command} ${args.join(' ')} (in ${cwd}) failed: ${error.message}\n${stdout}\n${stderr}`;
      reject(command === 'npm' && OFFLINE.test(stderr) ? new NpmUnreachable(message) : new Error(message));
    });
  });
}

/** Rethrows only a network failure: a registry that answers `npm ping` oddly is left for `npm ci` to judge. */
function unreachableOnly(error: unknown): void {
  if (error instanceof NpmUnreachable) throw error;
}

describe.each(MAJORS)('vk-miniapp-auth/nestjs as built, on NestJS $nest', (major) => {
  const fixture = fileURLToPath(new URL(`../nestjs-versions/${major.nest}`, import.meta.url));
  const is = (version: number) => new RegExp(`^${version}\\.`);

  it('works in an ESM app (imported and required) and a CommonJS app (required), on Express and Fastify', {
    timeout: 320_000,
  }, async (ctx) => {
    for (const file of ['dist/node/nestjs.mjs', 'dist/node/nestjs.cjs']) {
      if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` (npm test does).`);
    }
    const project = mkdtempSync(join(tmpdir(), `vk-miniapp-auth-nestjs${major.nest}-`));
    try {
      copyFileSync(join(fixture, 'package.json'), join(project, 'package.json'));
      copyFileSync(join(fixture, 'package-lock.json'), join(project, 'package-lock.json'));
      // No dependency here needs its install script (@nestjs/core's is an opencollective banner).
      const quiet = ['--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline'];
      try {
        // Locally, a quick ping first: an unreachable registry otherwise takes npm ci a minute or two to report.
        if (!process.env.CI) await run('npm', ['ping', '--fetch-retries=0'], project, 30_000).catch(unreachableOnly);
        await run('npm', ['ci', ...quiet], project, 150_000);
      } catch (error) {
        if (error instanceof NpmUnreachable && !process.env.CI) {
          const code = error.message.match(OFFLINE)?.[0];
          console.warn(
            `[nestjs-v${major.nest}] npm cannot reach the registry (${code}): skipping (under CI this fails).`,
          );
          ctx.skip('npm cannot reach the registry');
        }
        throw error;
      }
      const packed = JSON.parse(
        await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], root, 30_000),
      );
      const tarball = join(project, packed[0].filename);
      await run('npm', ['install', '--no-save', ...quiet, tarball], project, 90_000);

      // The packed package, and the Nest it and the smoke apps resolve, are the ones meant.
      const installed = join(project, 'node_modules/vk-miniapp-auth/dist/node/nestjs.cjs');
      for (const file of Object.values(SMOKE)) {
        copyFileSync(fileURLToPath(new URL(file, import.meta.url)), join(project, file));
      }
      const entries = { esm: join(project, SMOKE.esm), cjs: join(project, SMOKE.cjs) };
      expectNestMajor(installed, major.nest, ['@nestjs/common', '@nestjs/core']);
      for (const script of Object.values(entries)) {
        expect(createRequire(script).resolve('vk-miniapp-auth/nestjs')).toBe(installed);
        expectNestMajor(script, major.nest, NEST_PACKAGES);
      }
      const platform = (name: string) => createRequire(entries.cjs).resolve(`@nestjs/platform-${name}`);
      expect(versionFrom(platform('express'), 'express'), `express under Nest ${major.nest}`).toMatch(
        is(major.express),
      );
      expect(versionFrom(platform('fastify'), 'fastify'), `fastify under Nest ${major.nest}`).toMatch(
        is(major.fastify),
      );

      for (const app of ['esm', 'cjs'] as const) {
        const stdout = await run(process.execPath, [entries[app]], project, 30_000);
        expectSmokeAnswers(stdout, { app, nest: major.nest });
      }
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

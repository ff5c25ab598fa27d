// Every subpath of the built package, loaded by name from ESM and from CommonJS
// in a project that has none of the optional peer dependencies installed: an
// entry may fail only for want of its own framework, never for another one's
// (a shared chunk once made the core require fastify-plugin).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The peer each entry needs at run time; the others must load with no dependency at all. */
const PEER_OF: Record<string, string | undefined> = {
  '.': undefined,
  './express': undefined,
  './koa': undefined,
  './next': undefined,
  './client': undefined,
  './testing': undefined,
  './payments': undefined,
  './socket.io': undefined, // socket.io's types only
  './ws': undefined,
  './replay': undefined, // no Redis package: the app passes its own client
  './max': undefined,
  // jose is a dependency, not a peer, but of this entry only: without it, every other entry
  // still loads (the adapters load it on first use of their session option).
  './session': 'jose',
  './fastify': 'fastify-plugin',
  './hono': 'hono',
  './nestjs': '@nestjs/common',
};

let project: string;

beforeAll(() => {
  if (!existsSync(join(root, 'dist/node/index.mjs'))) throw new Error('dist/ is not built: run `npm run build`.');
  project = mkdtempSync(join(tmpdir(), 'vk-miniapp-auth-entries-'));
  const installed = join(project, 'node_modules', 'vk-miniapp-auth');
  mkdirSync(installed, { recursive: true });
  cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}');
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function load(specifier: string, system: 'esm' | 'cjs') {
  const code =
    system === 'esm'
      ? `import(${JSON.stringify(specifier)}).then((m) => console.log(Object.keys(m).length))`
      : `console.log(Object.keys(require(${JSON.stringify(specifier)})).length)`;
  const args = system === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code];
  return spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
}

describe('the built entries, with no peer dependency installed', () => {
  it('lists every subpath of package.json "exports" here', () => {
    const subpaths = Object.keys(manifest.exports).filter((subpath) => subpath !== './package.json');
    expect(subpaths.sort()).toEqual(Object.keys(PEER_OF).sort());
  });

  for (const [subpath, peer] of Object.entries(PEER_OF)) {
    const specifier = subpath === '.' ? 'vk-miniapp-auth' : `vk-miniapp-auth${subpath.slice(1)}`;
    for (const system of ['esm', 'cjs'] as const) {
      it(`${specifier} from ${system.toUpperCase()} ${peer ? `asks only for ${peer}` : 'loads'}`, () => {
        const result = load(specifier, system);
        if (peer === undefined) {
          expect(result.stderr).toBe('');
          expect(Number(result.stdout.trim())).toBeGreaterThan(0);
        } else {
          expect(result.status).not.toBe(0);
          const missing = [...result.stderr.matchAll(/Cannot find (?:module|package) '([^']+)'/g)].map((m) => m[1]);
          // The package itself or one of its subpaths (`hono/http-exception`).
          expect(
            missing[0]
              ?.split('/')
              .slice(0, peer.startsWith('@') ? 2 : 1)
              .join('/'),
          ).toBe(peer);
        }
      });
    }
  }

  it('the core works when loaded this way', () => {
    const code =
      "const { signLaunchParams, verifyLaunchParams } = require('vk-miniapp-auth');" +
      "signLaunchParams({ vk_user_id: 1, vk_app_id: 2 }, 'k')" +
      ".then((q) => verifyLaunchParams(q, { secret: 'k', maxAge: 0 })).then((p) => console.log(p.vk_user_id));";
    expect(execFileSync(process.execPath, ['-e', code], { cwd: project, encoding: 'utf8' }).trim()).toBe('1');
  });

  it.each([
    ['browser', 'dist/web'],
    ['node', 'dist/node'],
  ] as const)(
    'a bundler targeting %s takes every module from %s, by the exports conditions alone',
    async (platform, folder) => {
      const entry = join(project, `entry-${platform}.mjs`);
      writeFileSync(entry, "export { verifyLaunchParams } from 'vk-miniapp-auth';\n");
      const bundler = createRequire(join(root, 'node_modules/tsdown/package.json')).resolve('rolldown');
      const { rolldown } = (await import(pathToFileURL(bundler).href)) as typeof import('rolldown');
      const bundle = await rolldown({ input: entry, platform, cwd: project, logLevel: 'silent' });
      const files = (await bundle.generate({ format: 'esm' })).output.flatMap((chunk) =>
        chunk.type === 'chunk' ? chunk.moduleIds : [],
      );
      await bundle.close();
      // The modules that made it into the bundle (the entry's re-exports are folded away).
      const ours = files.map((id) => id.replaceAll('\\', '/')).filter((id) => id.includes('/vk-miniapp-auth/dist/'));
      expect(ours.length).toBeGreaterThan(0);
      for (const id of ours) expect(id).toContain(`/${folder}/`);
    },
  );
});

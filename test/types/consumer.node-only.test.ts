// The package's types as a consumer gets them: the packed tarball (`npm pack`), installed into a
// temp project, compiled with TypeScript 5.9 and 7 under `moduleResolution: bundler`, `nodenext`
// ESM and `nodenext` CommonJS. The consumer (test/types/consumer/) is an app per the docs, whose
// compile-time assertions (`equalTypes`, `// @ts-expect-error`) break the compile when a type
// regresses: each compiler must report no diagnostic. Then a variant with wrong assertions
// (broken.ts) must get one diagnostic on each line marked `// wrong`, and nowhere else.
//
// The frameworks and their types are symlinked from the repo's node_modules into the temp
// project, where the consumer and the package resolve them as installed peers; TypeScript follows
// the links to their real paths, so their own dependencies resolve from the repo as installed
// (no network, no copy). Reads the build (`npm test` runs `npm run build` first).
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sources = fileURLToPath(new URL('./consumer', import.meta.url));

const COMPILERS = [
  { name: 'TypeScript 5.9', bin: join(root, 'node_modules/typescript/bin/tsc'), version: /^Version 5\.9\./ },
  // `typescript-v7` is TypeScript 7 under an npm alias: its bin/tsc (a Node script) runs the native compiler.
  { name: 'TypeScript 7', bin: join(root, 'node_modules/typescript-v7/bin/tsc'), version: /^Version 7\./ },
] as const;
type Compiler = (typeof COMPILERS)[number];

/** What every consumer project sets: a strict Nest-style app (decorators) on Node. */
const BASE_OPTIONS = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: 'ES2022',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  types: ['node'],
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
};

const SETTINGS = [
  // The file that only one module format compiles (top-level await, `import = require`) proves
  // which format TypeScript took; `declarations` is the extension of the package's types it must read.
  {
    name: 'bundler',
    type: 'module',
    module: 'preserve',
    moduleResolution: 'bundler',
    only: 'esm-only.mts',
    declarations: '.d.mts',
  },
  {
    name: 'nodenext ESM',
    type: 'module',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    only: 'esm-only.mts',
    declarations: '.d.mts',
  },
  {
    name: 'nodenext CJS',
    type: 'commonjs',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    only: 'cjs-only.cts',
    declarations: '.d.cts',
  },
] as const;
type Setting = (typeof SETTINGS)[number];

/** The frameworks the consumer and the package import, with their types, and what the docs have Nest install. */
const PEERS = [
  'express',
  '@types/express',
  'fastify',
  'fastify-plugin',
  'hono',
  'koa',
  '@types/koa',
  'next',
  '@nestjs/common',
  '@nestjs/core',
  'reflect-metadata',
  'rxjs',
  '@types/node',
];

/** The package's subpaths the consumer imports. */
const ENTRIES = ['index', 'express', 'fastify', 'hono', 'koa', 'next', 'nestjs'];

interface Run {
  code: number | null;
  output: string;
}

/** Runs a command; resolves with its exit code and output, whatever they are. */
function run(command: string, args: string[], cwd: string, timeout: number): Promise<Run> {
  const env = { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' };
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      const output = `${stdout}${stderr}${error !== null && code === null ? `\n${error.message}` : ''}`;
      resolve({ code, output });
    });
  });
}

async function runOrThrow(command: string, args: string[], cwd: string, timeout: number): Promise<string> {
  const result = await run(command, args, cwd, timeout);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${result.output}`);
  return result.output;
}

/** At most `limit` compilers at once: they are CPU-bound. */
function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

let project: string;
const compiles = new Map<string, Promise<Run>>();
const key = (compiler: Compiler, setting: Setting, variant: 'clean' | 'broken') =>
  `${compiler.name} ${setting.name} ${variant}`;
const dirOf = (setting: Setting) => join(project, setting.name.replace(' ', '-'));

beforeAll(async () => {
  for (const entry of ENTRIES) {
    if (!existsSync(join(root, `dist/node/${entry}.d.mts`))) {
      throw new Error(`dist/node/${entry}.d.mts is missing: run \`npm run build\` (npm test does).`);
    }
  }
  // Its real path: the compilers list files by theirs (tmpdir() is a symlink on macOS).
  project = realpathSync(mkdtempSync(join(tmpdir(), 'vk-miniapp-auth-consumer-types-')));
  writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}\n');
  const packed = JSON.parse(
    await runOrThrow('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], root, 30_000),
  );
  // Installed by npm from the tarball alone: the package has no dependencies, and its peers are optional.
  await runOrThrow(
    'npm',
    [
      'install',
      '--no-save',
      '--offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      join(project, packed[0].filename),
    ],
    project,
    60_000,
  );
  // After npm install, which would prune what its tree does not list.
  for (const name of PEERS) {
    const link = join(project, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), link, 'dir');
  }

  const files = readdirSync(sources);
  for (const setting of SETTINGS) {
    const dir = dirOf(setting);
    mkdirSync(dir);
    for (const file of files.filter((file) => file.endsWith('.ts') || file === setting.only)) {
      cpSync(join(sources, file), join(dir, file));
    }
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: setting.type })}\n`);
    const compilerOptions = { ...BASE_OPTIONS, module: setting.module, moduleResolution: setting.moduleResolution };
    const config = { compilerOptions, include: ['*.ts', setting.only], exclude: ['broken.ts'] };
    writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(config, null, 2)}\n`);
    const broken = { extends: './tsconfig.json', files: ['broken.ts'], include: [] };
    writeFileSync(join(dir, 'tsconfig.broken.json'), `${JSON.stringify(broken, null, 2)}\n`);
  }

  // Every compile starts now, the slowest first, and each test awaits its own.
  const limit = limiter(Math.max(2, Math.min(4, availableParallelism())));
  for (const compiler of COMPILERS) {
    for (const variant of ['clean', 'broken'] as const) {
      for (const setting of SETTINGS) {
        const args = [compiler.bin, '-p', variant === 'clean' ? 'tsconfig.json' : 'tsconfig.broken.json'];
        args.push('--pretty', 'false', ...(variant === 'clean' ? ['--listFiles'] : []));
        compiles.set(
          key(compiler, setting, variant),
          limit(() => run(process.execPath, args, dirOf(setting), 120_000)),
        );
      }
    }
  }
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(compiles.values());
  if (project) rmSync(project, { recursive: true, force: true });
});

/** `--pretty false` output: diagnostics (`file(line,col): error TS…`, with indented follow-up lines) and, with `--listFiles`, absolute paths. */
function split(output: string) {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const listed = lines.filter((line) => line.startsWith('/'));
  const diagnostics = lines.filter((line) => !line.startsWith('/'));
  return { listed, diagnostics };
}

describe.each(COMPILERS)('the packed package, compiled by a consumer with $name', (compiler) => {
  it('is the compiler meant', async () => {
    const { output } = await run(process.execPath, [compiler.bin, '--version'], root, 30_000);
    expect(output.trim()).toMatch(compiler.version);
  });

  describe.each(SETTINGS)('under $name', (setting) => {
    it('types every adapter as the docs say: no diagnostic', { timeout: 180_000 }, async () => {
      const result = await compiles.get(key(compiler, setting, 'clean'));
      const { listed, diagnostics } = split(result?.output ?? '');
      expect(diagnostics).toEqual([]);
      expect(result?.code).toBe(0);

      // The types read are the packed package's, in the format the setting resolves, and never the repo's own.
      const installed = join(project, 'node_modules/vk-miniapp-auth/dist/node');
      for (const entry of ENTRIES) {
        expect(listed).toContain(join(installed, `${entry}${setting.declarations}`));
      }
      const other = setting.declarations === '.d.mts' ? '.d.cts' : '.d.mts';
      expect(listed.filter((file) => file.includes('/vk-miniapp-auth/') && file.endsWith(other))).toEqual([]);
      expect(
        listed.filter((file) => file.startsWith(join(root, 'src')) || file.startsWith(join(root, 'dist'))),
      ).toEqual([]);
      expect(listed).toContain(join(dirOf(setting), setting.only));
    });

    it('fails the compile on each wrong assertion', { timeout: 180_000 }, async () => {
      const result = await compiles.get(key(compiler, setting, 'broken'));
      const { diagnostics } = split(result?.output ?? '');
      expect(result?.code).not.toBe(0);
      const wrong = readFileSync(join(sources, 'broken.ts'), 'utf8')
        .split('\n')
        .flatMap((line, index) => (line.endsWith('// wrong') ? [index + 1] : []));
      expect(wrong.length).toBeGreaterThanOrEqual(9);
      const reported = diagnostics
        .filter((line) => !line.startsWith(' '))
        .map((line) => line.match(/^(.+?)\((\d+),\d+\): error TS\d+: /))
        .map((match) => (match ? `${match[1]}:${match[2]}` : 'unparsed'));
      expect([...new Set(reported)].sort(), diagnostics.join('\n')).toEqual(
        wrong.map((line) => `broken.ts:${line}`).sort(),
      );
    });
  });
});

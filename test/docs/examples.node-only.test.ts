// The complete programs in README.md and docs/getting-started.md are files
// under examples/, copied into the docs by scripts/docs-examples.mjs. Here they
// are kept from rotting: the docs must match the files, every program shown
// must be one of them, the JavaScript ones run against the built package, and
// the TypeScript ones compile against its published types, as a user's would.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTS, staleDocuments } from '../../scripts/docs-examples.mjs';
import { CHALLENGE, CHALLENGE_NO_CREDENTIALS } from '../adapters/fixtures.js';
import { freePort } from '../ports.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli/vk-miniapp-auth.mjs');
const SECRET = 'docs-example-secret';

describe('the examples shown in the docs', () => {
  it('match the files they are copied from (npm run docs:examples)', () => {
    expect(staleDocuments().stale).toEqual([]);
  });

  it('cover every complete program shown: any code block that imports is a marked example', () => {
    for (const document of DOCUMENTS) {
      const lines = readFileSync(join(root, document), 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!/^```(?:js|ts|javascript|typescript|mjs)$/.test(lines[i] ?? '')) continue;
        let end = i + 1;
        while (end < lines.length && lines[end] !== '```') end++;
        const body = lines.slice(i + 1, end).join('\n');
        if (/^import\s/m.test(body)) {
          expect(lines[i - 1], `${document}:${i + 1} shows a program that is not an example file`).toMatch(
            /^<!-- example: /,
          );
        }
        i = end;
      }
    }
  });
});

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { cwd: root, env: { ...process.env, ...env } }, (error, stdout) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout });
    });
  });
}

describe('examples/readme/server.mjs, tried as docs/getting-started.md says', () => {
  let server: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['examples/readme/server.mjs'], {
      cwd: root,
      env: { ...process.env, VK_APP_SECRET: SECRET, PORT: String(port) },
      stdio: 'ignore',
    });
    for (let attempt = 0; ; attempt++) {
      const up = await fetch(`${base}/`).then(
        () => true,
        () => false,
      );
      if (up) break;
      if (attempt > 100 || server.exitCode !== null)
        throw new Error(`server.mjs did not start (exit ${server.exitCode})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(() => {
    server?.kill();
  });

  it('answers the user a signed launch names (the CLI signs it, as the docs do)', async () => {
    const signed = await run(cli, ['sign', '--user-id', '1', '--app-id', '6736218', '--bearer'], {
      VK_APP_SECRET: SECRET,
    });
    expect(signed.code).toBe(0);
    const response = await fetch(`${base}/api/me`, { headers: { Authorization: signed.stdout.trim() } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user_id: 1 });
  });

  it('refuses a request without launch params, and a launch of another app', async () => {
    const missing = await fetch(`${base}/api/me`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe(CHALLENGE_NO_CREDENTIALS);
    expect(await missing.json()).toMatchObject({ error: 'MISSING_CREDENTIALS' });

    const other = await run(cli, ['sign', '--user-id', '1', '--app-id', '1', '--bearer'], { VK_APP_SECRET: SECRET });
    const response = await fetch(`${base}/api/me`, { headers: { Authorization: other.stdout.trim() } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(CHALLENGE);
    expect(await response.json()).toMatchObject({ error: 'APP_ID_MISMATCH' });
  });
});

describe('examples/readme/verify.mjs', () => {
  it('resolves to the signed user id, and rejects a tampered launch with a VkAuthError', async () => {
    process.env.VK_APP_SECRET = SECRET;
    try {
      // By URL, as a user's module would load it (the example has no type declarations).
      const { vkUserId } = await import(pathToFileURL(join(root, 'examples/readme/verify.mjs')).href);
      const { createLaunchParams, createTamperedLaunchParams } = await import('../../src/testing.js');
      const launch = await createLaunchParams({ secret: SECRET, userId: 42 });
      expect(await vkUserId(launch.authorization)).toBe(42);
      const tampered = await createTamperedLaunchParams({ secret: SECRET, userId: 42 });
      await expect(vkUserId(tampered.authorization)).rejects.toMatchObject({ code: 'SIGN_INVALID', status: 401 });
    } finally {
      delete process.env.VK_APP_SECRET;
    }
  });
});

describe('examples/quickstart.mjs', () => {
  it('verifies its launch and refuses the three forgeries', async () => {
    const { code, stdout } = await run('examples/quickstart.mjs', [], {});
    expect(code).toBe(0);
    expect(stdout).toContain('vk_user_id=494075');
    expect(stdout.match(/^Refused, /gm)).toHaveLength(3);
  });
});

describe('the TypeScript examples compile against the built package', () => {
  const files = ['examples/readme/server.ts', 'examples/getting-started/front-end.ts'].map((file) => join(root, file));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
  };

  /** Diagnostics of the examples, with `edit` applied to one file's text first. */
  function diagnostics(edit?: { file: string; from: string; to: string }): string[] {
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (path) => {
      const text = read(path);
      return edit && text !== undefined && path === edit.file ? text.replace(edit.from, edit.to) : text;
    };
    const program = ts.createProgram(files, options, host);
    return ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  }

  it('with no error (NodeNext, strict)', () => {
    expect(diagnostics()).toEqual([]);
  });

  it('and the check can fail: a property the user type lacks is an error', () => {
    const [server] = files as [string];
    const errors = diagnostics({ file: server, from: 'user_id: req.vk?.user.id', to: 'user_id: req.vk?.user.name' });
    expect(errors.join('\n')).toMatch(/Property 'name' does not exist/);
  });
});

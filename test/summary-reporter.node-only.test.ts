// The closing line of test/summary-reporter.ts must tell the truth: a test file
// that never ran its tests (bad import, syntax error, a throw at top level, no
// tests, a hook that threw) and an error outside any test are failures, not
// nothing. Each case is a tiny project in a temp dir, run by this repo's Vitest
// in a child process with only that reporter.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const VITEST = join(root, 'node_modules/vitest/vitest.mjs');
const REPORTER = join(root, 'test/summary-reporter.ts');

const PASSES = `test('passes', () => {});`;
const SKIPPED = `test.skip('skipped', () => {});`;

let project = '';

afterEach(() => {
  if (project) rmSync(project, { recursive: true, force: true });
  project = '';
});

/** Runs Vitest on these test files; resolves to its exit code and the last line it printed. */
function runVitest(files: Record<string, string>): Promise<{ code: number; line: string; output: string }> {
  project = mkdtempSync(join(tmpdir(), 'vk-summary-reporter-'));
  // Globals, so the files need no `import 'vitest'`, which would not resolve from the temp dir.
  const config = { test: { globals: true, include: ['*.test.js'], reporters: [REPORTER] } };
  writeFileSync(join(project, 'vitest.config.mjs'), `export default ${JSON.stringify(config)};\n`);
  for (const [name, source] of Object.entries(files)) writeFileSync(join(project, name), `${source}\n`);

  const args = [VITEST, 'run', '--root', project, '--config', join(project, 'vitest.config.mjs')];
  // The child is a run of its own, not a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  const options = { cwd: project, env: { ...env, NO_COLOR: '1' }, timeout: 30_000 };
  return new Promise((resolve) => {
    execFile(process.execPath, args, options, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, line: stdout.trim().split('\n').at(-1) ?? '', output: `${stdout}\n${stderr}` });
    });
  });
}

describe('the summary line', () => {
  it('when every test passes, says so, and Vitest exits 0', async () => {
    const run = await runVitest({ 'a.test.js': PASSES, 'b.test.js': PASSES });
    expect(run.line, run.output).toBe('2 passed, 0 failed, 0 skipped');
    expect(run.code, run.output).toBe(0);
  });

  it('counts a file that does not load as one failed, and Vitest exits non-zero', async () => {
    const run = await runVitest({
      'pass.test.js': PASSES,
      'broken.test.js': `import './missing.js';\ntest('never runs', () => {});`,
      'skip.test.js': SKIPPED,
    });
    expect(run.line, run.output).toBe('1 passed, 1 failed, 1 skipped');
    expect(run.code, run.output).not.toBe(0);
  });

  it('counts once each other file that fails without a failing test', async () => {
    const run = await runVitest({
      'syntax.test.js': `test('never runs', () => {`,
      'throws.test.js': `throw new Error('at load');`,
      'empty.test.js': `const nothing = 0;`,
      // Its test ends skipped, not failed: only the hook's error says the file failed.
      'hook.test.js': `describe('s', () => {
  beforeAll(() => { throw new Error('hook'); });
  test('a', () => {});
});`,
    });
    expect(run.line, run.output).toBe('0 passed, 4 failed, 1 skipped');
    expect(run.code, run.output).not.toBe(0);
  });

  it('counts an error thrown outside any test as one failed', async () => {
    const run = await runVitest({
      'stray.test.js': `test('leaves a timer behind', async () => {
  setTimeout(() => { throw new Error('late'); });
  await new Promise((resolve) => setTimeout(resolve, 50));
});`,
    });
    expect(run.line, run.output).toBe('1 passed, 1 failed, 0 skipped');
    expect(run.code, run.output).not.toBe(0);
  });
});

// The programs docs/max.md marks as checked, run against the sources: their imports are
// taken off and the names they bind passed in, their console captured.
import { readFileSync } from 'node:fs';
import * as hono from 'hono';
import { describe, expect, it } from 'vitest';
import * as honoAdapter from '../../src/adapters/hono/index.js';
import * as root from '../../src/index.js';
import * as max from '../../src/max.js';

const page = readFileSync(new URL('../../docs/max.md', import.meta.url), 'utf8');
const MODULES: Record<string, Record<string, unknown>> = {
  'vk-miniapp-auth': root,
  'vk-miniapp-auth/max': max,
  'vk-miniapp-auth/hono': honoAdapter,
  hono,
};
const MARKER = '<!-- checked by test/max/docs.test.ts';

/** The programs marked as checked, in page order. */
function programs(): string[] {
  const found: string[] = [];
  for (let marker = page.indexOf(MARKER); marker !== -1; marker = page.indexOf(MARKER, marker + 1)) {
    const open = page.indexOf('```js\n', marker);
    found.push(page.slice(open + 6, page.indexOf('\n```', open)));
  }
  return found;
}

/** Runs a program with its imports taken off and the names they bind passed in; resolves to what it logged. */
async function run(program: string, expectedNames: string[]): Promise<string[]> {
  const names: string[] = [];
  const values: unknown[] = [];
  const body = program.replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, list: string, specifier: string) => {
    for (const name of list.split(',').map((n) => n.trim())) {
      names.push(name);
      values.push((MODULES[specifier] as Record<string, unknown>)[name]);
    }
    return '';
  });
  expect(names).toEqual(expectedNames);
  const lines: string[] = [];
  const console = { log: (...args: unknown[]) => lines.push(args.join(' ')) };
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction(...names, 'console', 'process', body)(...values, console, { env: {} });
  return lines;
}

describe('docs/max.md', () => {
  it('shows two checked programs', () => {
    expect(programs()).toHaveLength(2);
  });

  it('runs its first program and prints what its comments say', async () => {
    const lines = await run(programs()[0] as string, ['VkAuthError', 'signMaxInitData', 'verifyMaxInitData']);
    expect(lines).toEqual(['67890 promo', 'Refused: SIGN_INVALID']);
  });

  it('runs its adapter program (one Hono back end for VK and MAX) and prints what its comments say', async () => {
    const program = programs()[1] as string;
    const lines = await run(program, ['Hono', 'signLaunchParams', 'vkMiniAppAuth', 'signMaxInitData']);
    // The comments after the loop are the output, line for line.
    const printed = program
      .slice(program.lastIndexOf('}\n') + 2)
      .split('\n')
      .map((line) => line.replace(/^\/\/ /, ''));
    expect(lines.map((line) => line.trimEnd())).toEqual(printed);
  });
});

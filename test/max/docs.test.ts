// The program at the top of docs/max.md, run against the sources: its imports are
// taken off and the names they bind passed in, its console captured.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';
import * as max from '../../src/max.js';

const page = readFileSync(new URL('../../docs/max.md', import.meta.url), 'utf8');
const MODULES: Record<string, Record<string, unknown>> = { 'vk-miniapp-auth': root, 'vk-miniapp-auth/max': max };

describe('docs/max.md', () => {
  it('runs its program and prints what its comments say', async () => {
    const marker = page.indexOf('<!-- checked by test/max/docs.test.ts');
    const open = page.indexOf('```js\n', marker);
    const program = page.slice(open + 6, page.indexOf('\n```', open));
    const names: string[] = [];
    const values: unknown[] = [];
    const body = program.replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, list: string, specifier: string) => {
      for (const name of list.split(',').map((n) => n.trim())) {
        names.push(name);
        values.push((MODULES[specifier] as Record<string, unknown>)[name]);
      }
      return '';
    });
    expect(names).toEqual(['VkAuthError', 'signMaxInitData', 'verifyMaxInitData']);
    const lines: string[] = [];
    const console = { log: (...args: unknown[]) => lines.push(args.join(' ')) };
    const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction(...names, 'console', 'process', body)(...values, console, { env: {} });
    expect(lines).toEqual(['67890 promo', 'Refused: SIGN_INVALID']);
  });
});

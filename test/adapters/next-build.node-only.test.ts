import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Reads the build (`npm test` runs `npm run build` first).
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

const STATIC_SPECIFIERS = [
  /\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*["']([^"']+)["']/g,
  /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
];
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;

/**
 * Every bare specifier (a package) the file loads, following its own relative chunks; with
 * `onDemand: false`, only what loading it loads (no `import()`).
 */
function externalsOf(entry: string, { onDemand = true } = {}): Set<string> {
  const SPECIFIERS = onDemand ? [...STATIC_SPECIFIERS, DYNAMIC_IMPORT] : STATIC_SPECIFIERS;
  const externals = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    // Without comments: the JSDoc examples mention packages the code does not load.
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const pattern of SPECIFIERS) {
      for (const [, specifier] of code.matchAll(pattern)) {
        if (specifier === undefined) continue;
        if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
        else externals.add(specifier);
      }
    }
  };
  visit(entry);
  return externals;
}

const builds = ['node/next.mjs', 'node/next.cjs', 'web/next.mjs', 'web/next.cjs'];

describe('vk-miniapp-auth/next build', () => {
  it.each(builds)('dist/%s loads nothing from next, directly or through a shared chunk', (file) => {
    const path = join(dist, file);
    expect(existsSync(path), `${path} is missing: run npm run build`).toBe(true);
    const externals = [...externalsOf(path)];
    expect(externals.filter((specifier) => specifier === 'next' || specifier.startsWith('next/'))).toEqual([]);
  });

  // CJS is left out here: rolldown may hoist its interop helpers into another
  // adapter's chunk (reported separately); the check above still covers `next`.
  it.each(['node/next.mjs', 'web/next.mjs'])(
    'dist/%s loads no package at all but node:crypto, and jose only on demand (the session option)',
    (file) => {
      const loaded = [...externalsOf(join(dist, file), { onDemand: false })].filter((s) => s !== 'node:crypto');
      expect(loaded).toEqual([]);
      const onDemand = [...externalsOf(join(dist, file))].filter((specifier) => specifier !== 'node:crypto');
      expect(onDemand).toEqual(['jose']);
    },
  );

  it('finds imports of next when there are some (the scan is not vacuous)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vk-next-scan-'));
    writeFileSync(join(dir, 'chunk.mjs'), 'import { NextResponse } from "next/server";\n');
    writeFileSync(join(dir, 'chunk.cjs'), 'const next = require("next");\n');
    writeFileSync(
      join(dir, 'entry.mjs'),
      '/** import x from "not-this" */\nimport "./chunk.mjs";\nexport * from "./chunk.cjs";\n',
    );
    expect([...externalsOf(join(dir, 'entry.mjs'))].sort()).toEqual(['next', 'next/server']);
  });
});

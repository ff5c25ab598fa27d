// One list of entries (scripts/entries.mjs) drives the build, the API reference
// and package.json: these fail when any of them drifts from it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENTRIES } from '../scripts/entries.mjs';
import { packageExports } from '../scripts/package-exports.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));

describe('the package manifest, from scripts/entries.mjs', () => {
  it('package.json exports and typesVersions are the generated ones (npm run exports)', () => {
    const manifest = read('package.json');
    const expected = packageExports();
    expect(manifest.exports).toEqual(expected.exports);
    expect(manifest.typesVersions).toEqual(expected.typesVersions);
  });

  it('TypeDoc documents every entry, and only those', () => {
    expect(read('typedoc.json').entryPoints).toEqual(ENTRIES.map(({ source }) => source));
  });

  it('the build made every file the exports name, and no Web build of a Node-only adapter', () => {
    const files = JSON.stringify(read('package.json').exports).match(/\.\/dist\/[^"]+/g) ?? [];
    expect(files.length).toBeGreaterThan(ENTRIES.length * 4);
    for (const file of files) expect(existsSync(join(root, file)), file).toBe(true);
    for (const { name, web } of ENTRIES) expect(existsSync(join(root, `dist/web/${name}.mjs`)), name).toBe(web);
  });

  it("the Web build's sources are type-checked without Node's types (tsconfig.web.json)", () => {
    const text = readFileSync(join(root, 'tsconfig.web.json'), 'utf8');
    const { config } = ts.parseConfigFileTextToJson('tsconfig.web.json', text);
    expect(config.compilerOptions.types).toEqual([]);
    expect(config.files).toEqual(ENTRIES.filter(({ web }) => web).map(({ source }) => source));
  });

  it('picks the crypto back end through package.json imports: node:crypto under `node`, Web Crypto otherwise', () => {
    const { '#crypto': crypto } = read('package.json').imports;
    expect(crypto.node).toBe('./src/crypto/runtime.ts');
    expect(crypto.default).toBe('./src/crypto/runtime.web.ts');
  });

  it('uses only the conditions that change the result', () => {
    const conditions = new Set(
      Object.values(read('package.json').exports as Record<string, unknown>)
        .filter((value): value is Record<string, Record<string, string>> => typeof value === 'object')
        .flatMap((branches) => Object.values(branches).flatMap((branch) => Object.keys(branch))),
    );
    expect([...conditions].sort()).toEqual(['default', 'node', 'types']);
  });
});

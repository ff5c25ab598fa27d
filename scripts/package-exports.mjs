// Writes package.json's "exports" and "typesVersions" from scripts/entries.mjs.
//
//   node scripts/package-exports.mjs          rewrite them
//   node scripts/package-exports.mjs --check  exit 1 when package.json differs
//
// Only the conditions that change the result: `types`; `node`, which Node, Bun
// and Deno all match (each is fastest with node:crypto, see docs/speed.md); and
// `default`, the Web build, for everything else (Workers, Vercel Edge, browsers,
// bundlers). An entry without a Web build has no `node` branch: its one build is
// the default.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENTRIES } from './entries.mjs';

const manifestPath = fileURLToPath(new URL('../package.json', import.meta.url));

/** One condition branch: the types, then the Node build for Node, Bun and Deno, else the Web build. */
function branch(name, web, js, dts) {
  const types = `./dist/node/${name}.${dts}`;
  const node = `./dist/node/${name}.${js}`;
  return web ? { types, node, default: `./dist/web/${name}.${js}` } : { types, default: node };
}

/** The "exports" and "typesVersions" the entries call for. */
export function packageExports(entries = ENTRIES) {
  const exports = {};
  for (const { subpath, name, web } of entries) {
    exports[subpath] = { import: branch(name, web, 'mjs', 'd.mts'), require: branch(name, web, 'cjs', 'd.cts') };
  }
  exports['./package.json'] = './package.json';
  // For TypeScript's node10 resolution, which reads no "exports".
  const typesVersions = { '*': {} };
  for (const { subpath, name } of entries) {
    if (subpath !== '.') typesVersions['*'][subpath.slice(2)] = [`./dist/node/${name}.d.cts`];
  }
  return { exports, typesVersions };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(text);
  const wanted = { ...manifest, ...packageExports() };
  const next = `${JSON.stringify(wanted, null, 2)}\n`;
  if (process.argv.includes('--check')) {
    if (next !== text) {
      console.error('package.json exports differ from scripts/entries.mjs: run `npm run exports`.');
      process.exitCode = 1;
    }
  } else if (next !== text) {
    writeFileSync(manifestPath, next);
    console.log('package.json: exports and typesVersions written');
  }
}

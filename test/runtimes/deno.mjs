// Deno runner. Imports the Node build by path, the one `npm:vk-miniapp-auth`
// gets in Deno (it matches the `node` export condition, and node:crypto is much
// faster there than Web Crypto: see docs/speed.md); the package name would need
// npm resolution, which the runtimes test keeps off so nothing is installed. The
// vectors come as a JSON module, all statically: Deno needs no read permission
// for static local imports, and node:crypto none, so the test runs it with none.

import * as lib from '../../dist/node/index.mjs';
import * as payments from '../../dist/node/payments.mjs';
import vectors from '../fixtures/vectors.json' with { type: 'json' };
import { runSuite } from './suite.mjs';

const result = await runSuite(lib, vectors, payments);
// Reported so the output shows the suite ran with no file, network or env access.
const granted = [];
for (const name of ['read', 'write', 'net', 'env', 'run', 'ffi', 'sys', 'import']) {
  if ((await Deno.permissions.query({ name })).state === 'granted') granted.push(name);
}
const resolved = new URL('../../dist/node/index.mjs', import.meta.url).pathname;
console.log(JSON.stringify({ runtime: 'deno', version: Deno.version.deno, resolved, granted, ...result }));
if (result.failed > 0) Deno.exit(1);

// Which build verifies fastest on the runtime that runs this script: the Node
// build (node:crypto) or the Web build (Web Crypto), each as a ratio to that
// runtime's own createHmac over the same canonical string, in the same run.
// Run by `npm run bench` on Node, Bun and Deno (`node bench/runtimes.mjs`,
// `bun bench/runtimes.mjs`, `deno run -A bench/runtimes.mjs`). It decides the
// package's `bun` and `deno` export conditions (docs/speed.md). Not a test:
// nothing here asserts on time.
import { createHmac } from 'node:crypto';
import { BENCH_SECRET, benchLaunch } from './launch.mjs';

const dist = new URL('../dist/', import.meta.url);
const builds = {
  node: await import(new URL('node/index.mjs', dist).href),
  web: await import(new URL('web/index.mjs', dist).href),
};
const runtime = globalThis.Bun
  ? `Bun ${Bun.version}`
  : globalThis.Deno
    ? `Deno ${Deno.version.deno}`
    : `Node ${process.version}`;

const query = await benchLaunch(builds.node.signLaunchParams, 1714000000);
const authorization = `Bearer ${query}`;
const canonical = query.slice(0, query.lastIndexOf('&sign='));
const options = { secret: BENCH_SECRET, maxAge: 0 };

/** Calls per second of `task` over about `ms` milliseconds, after a warm-up. */
async function rate(task, ms = 700) {
  for (let i = 0; i < 2000; i++) await task();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 256; i++) await task();
    calls += 256;
    elapsed = performance.now() - start;
  }
  return (calls * 1000) / elapsed;
}

let sink = 0;
const ROUNDS = 5;
const rows = { baseline: [], node: [], web: [] };
for (let round = 0; round < ROUNDS; round++) {
  rows.baseline.push(await rate(() => (sink ^= createHmac('sha256', BENCH_SECRET).update(canonical).digest().length)));
  for (const name of ['node', 'web']) {
    rows[name].push(
      await rate(async () => (sink ^= (await builds[name].verifyLaunchParams(authorization, options)).vk_user_id)),
    );
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const baseline = median(rows.baseline);
console.log(`\nvk-miniapp-auth builds on ${runtime}: verifyLaunchParams, median of ${ROUNDS} rounds`);
for (const name of ['baseline', 'node', 'web']) {
  const opsPerSecond = median(rows[name]);
  const label = name === 'baseline' ? "createHmac (this runtime's own)" : `${name} build`;
  console.log(
    `  ${label.padEnd(32)} ${Math.round(opsPerSecond).toLocaleString('en-US').padStart(10)} ops/s   ratio ${(opsPerSecond / baseline).toFixed(2)}`,
  );
}
if (sink === 0.5) console.log(sink);

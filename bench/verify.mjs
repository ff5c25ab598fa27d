// Throughput of verifyLaunchParams against a raw HMAC-SHA256 of the same
// canonical string, measured in the same run. `npm run bench` builds first.
// Not a test: nothing here asserts on time. Set BENCH_DIST to compare another
// build (e.g. BENCH_DIST=/tmp/copy/dist node bench/verify.mjs).

import { createHmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';

const dist = process.env.BENCH_DIST
  ? pathToFileURL(`${process.env.BENCH_DIST.replace(/\/$/, '')}/`)
  : new URL('../dist/', import.meta.url);
const nodeLib = await import(new URL('node/index.mjs', dist).href);
const webLib = await import(new URL('web/index.mjs', dist).href);

/** The node path must keep at least this share of raw HMAC throughput. */
const TARGET = 0.6;
/** Calls per sample: one call takes microseconds, below what a single timer read resolves well. */
const BATCH = 256;

const secret = 'wvl68m4dR1UpLrVRli'; // shaped like a VK Secure key
const appId = 6736218;
const query = await nodeLib.signLaunchParams(
  {
    vk_access_token_settings: ['friends', 'photos'],
    vk_app_id: appId,
    vk_are_notifications_enabled: false,
    vk_is_app_user: true,
    vk_is_favorite: false,
    vk_language: 'ru',
    vk_platform: 'mobile_android',
    vk_ref: 'other',
    vk_ts: 1714000000,
    vk_user_id: 494075,
  },
  secret,
);
const authorization = `Bearer ${query}`;
const canonical = query.slice(0, query.lastIndexOf('&sign='));
const sharedOptions = { secret, maxAge: 0 };
const authenticator = new nodeLib.VKMiniAppAuthenticator(appId, secret, { ttl: 0 });

// Every candidate must accept the credential, or its figure means nothing.
for (const [name, params] of [
  ['node', await nodeLib.verifyLaunchParams(authorization, sharedOptions)],
  ['web', await webLib.verifyLaunchParams(authorization, sharedOptions)],
  ['authenticator', await authenticator.getVerifiedLaunchParams(authorization)],
]) {
  if (params?.vk_user_id !== 494075) throw new Error(`bench: the ${name} path refused its own credential`);
}

let sink = 0;

/** A task timing BATCH calls per sample and reporting the mean per call. */
function batched(fn) {
  return () => {
    const start = performance.now();
    for (let i = 0; i < BATCH; i++) sink ^= fn().length;
    const elapsed = performance.now() - start;
    return { overriddenDuration: elapsed / BATCH, overriddenIterationCost: elapsed };
  };
}

/** Like {@link batched} for a promise-returning call, awaited one at a time as a server would. */
function batchedAsync(fn) {
  return async () => {
    const start = performance.now();
    for (let i = 0; i < BATCH; i++) sink ^= (await fn()).vk_user_id;
    const elapsed = performance.now() - start;
    return { overriddenDuration: elapsed / BATCH, overriddenIterationCost: elapsed };
  };
}

const BASELINE = 'createHmac(sha256).digest() (baseline)';
const bench = new Bench({ time: 3000, warmupTime: 1000, iterations: 32, warmupIterations: 16 });
bench
  .add(
    BASELINE,
    batched(() => createHmac('sha256', secret).update(canonical).digest()),
    { async: false },
  )
  .add(
    'node: verifyLaunchParams, shared options',
    batchedAsync(() => nodeLib.verifyLaunchParams(authorization, sharedOptions)),
    { async: true },
  )
  .add(
    'node: verifyLaunchParams, fresh options literal',
    batchedAsync(() => nodeLib.verifyLaunchParams(authorization, { secret, maxAge: 0 })),
    { async: true },
  )
  .add(
    'node: VKMiniAppAuthenticator (options compiled once)',
    batchedAsync(() => authenticator.getVerifiedLaunchParams(authorization)),
    { async: true },
  )
  .add(
    'web: verifyLaunchParams (Web Crypto on Node)',
    batchedAsync(() => webLib.verifyLaunchParams(authorization, sharedOptions)),
    { async: true },
  );

const started = performance.now();
await bench.run();
const seconds = ((performance.now() - started) / 1000).toFixed(1);

/** Median per-call latency as ops/s: robust to a GC pause landing in one batch. */
function opsPerSecond(task) {
  const { result } = task;
  if (result.state !== 'completed') throw new Error(`bench: ${task.name} ${result.state}: ${result.error ?? ''}`);
  return 1000 / result.latency.p50;
}

const baseline = opsPerSecond(bench.getTask(BASELINE));
const rows = {};
for (const task of bench.tasks) {
  const ops = opsPerSecond(task);
  const ratio = ops / baseline;
  const isNodeVerify = task.name.startsWith('node:');
  rows[task.name] = {
    'ops/s': Math.round(ops).toLocaleString('en-US'),
    'µs/op': (1e6 / ops).toFixed(2),
    '±': `${task.result.latency.rme.toFixed(1)}%`,
    ratio: task.name === BASELINE ? '1.00' : ratio.toFixed(2),
    target: isNodeVerify ? `≥ ${TARGET} ${ratio >= TARGET ? 'ok' : 'BELOW'}` : '',
  };
}

console.log(`\nvk-miniapp-auth verify benchmark: Node ${process.version}, ${BATCH} calls per sample, ${seconds} s`);
console.log(`Authorization: ${authorization.length} chars; canonical: ${canonical.length} chars\n`);
console.table(rows);
console.log('ratio = ops/s ÷ baseline ops/s in this run (median per-call latency; ± is the 95% margin of the mean).');
if (sink === 0.5) console.log(sink); // keeps results observable; never true

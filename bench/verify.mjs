// Throughput of verifyLaunchParams against a raw HMAC-SHA256 of the same
// canonical string, measured in the same run. `npm run bench` builds first.
// Not a test: nothing here asserts on time. Set BENCH_DIST to compare another
// build (e.g. BENCH_DIST=/tmp/copy/dist node bench/verify.mjs).

import { createHmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { BENCH_APP_ID, BENCH_SECRET, BENCH_USER_ID, benchLaunch } from './launch.mjs';

const dist = process.env.BENCH_DIST
  ? pathToFileURL(`${process.env.BENCH_DIST.replace(/\/$/, '')}/`)
  : new URL('../dist/', import.meta.url);
const nodeLib = await import(new URL('node/index.mjs', dist).href);
const webLib = await import(new URL('web/index.mjs', dist).href);
// A build from before sessions (BENCH_DIST pointing at an older copy) has no session entry: skipped.
const sessionLib = await import(new URL('node/session.mjs', dist).href).catch(() => undefined);

/** The node path must keep at least this share of raw HMAC throughput. */
const TARGET = 0.6;
/** Calls per sample: one call takes microseconds, below what a single timer read resolves well. */
const BATCH = 256;

const secret = BENCH_SECRET;
const appId = BENCH_APP_ID;
const query = await benchLaunch(nodeLib.signLaunchParams, 1714000000);
const authorization = `Bearer ${query}`;
const canonical = query.slice(0, query.lastIndexOf('&sign='));
const sharedOptions = { secret, maxAge: 0 };
const authenticator = new nodeLib.VKMiniAppAuthenticator(appId, secret, { ttl: 0 });
// A session token for the same launch, checked at the launch's own time (tokens expire).
const sessionOptions = { secret: 'a-session-key-for-the-benchmark-32+chars', now: () => 1714000000 * 1000 };
const sessionToken =
  sessionLib &&
  `Bearer ${await sessionLib.issueSessionToken(
    await nodeLib.verifyLaunchParams(authorization, sharedOptions),
    sessionOptions,
  )}`;

// Every candidate must accept the credential, or its figure means nothing.
for (const [name, params] of [
  ['node', await nodeLib.verifyLaunchParams(authorization, sharedOptions)],
  ['web', await webLib.verifyLaunchParams(authorization, sharedOptions)],
  ['authenticator', await authenticator.getVerifiedLaunchParams(authorization)],
  ...(sessionLib ? [['session', await sessionLib.verifySessionToken(sessionToken, sessionOptions)]] : []),
]) {
  if (params?.vk_user_id !== BENCH_USER_ID) throw new Error(`bench: the ${name} path refused its own credential`);
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
const LAUNCH = 'node: verifyLaunchParams, shared options';
const SESSION = 'session: verifySessionToken (jose, HS256)';
const tasks = [
  [BASELINE, batched(() => createHmac('sha256', secret).update(canonical).digest()), false],
  [LAUNCH, batchedAsync(() => nodeLib.verifyLaunchParams(authorization, sharedOptions)), true],
  [
    'node: verifyLaunchParams, fresh options literal',
    batchedAsync(() => nodeLib.verifyLaunchParams(authorization, { secret, maxAge: 0 })),
    true,
  ],
  [
    'node: VKMiniAppAuthenticator (options compiled once)',
    batchedAsync(() => authenticator.getVerifiedLaunchParams(authorization)),
    true,
  ],
  ...(sessionLib
    ? [[SESSION, batchedAsync(() => sessionLib.verifySessionToken(sessionToken, sessionOptions)), true]]
    : []),
  [
    'web: verifyLaunchParams (Web Crypto on Node)',
    batchedAsync(() => webLib.verifyLaunchParams(authorization, sharedOptions)),
    true,
  ],
];

// Tinybench runs tasks one after another, and a task's position changes its
// figure (JIT and heap state, other load). So the whole set runs in several
// rounds, in alternating order, and each figure is the median over rounds.
const ROUNDS = 10;
const perRound = new Map(tasks.map(([name]) => [name, []]));
const started = performance.now();
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: 500, warmupTime: 150, iterations: 16, warmupIterations: 8 });
  for (const [name, fn, async] of round % 2 === 0 ? tasks : [...tasks].reverse()) bench.add(name, fn, { async });
  await bench.run();
  const baseline = latencies(bench.getTask(BASELINE));
  for (const task of bench.tasks) {
    const { mean, p50 } = latencies(task);
    perRound.get(task.name).push({ mean, ratio: baseline.mean / mean, p50Ratio: baseline.p50 / p50 });
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);

/**
 * Per-call latency in ms over a round. `mean` is total time over total calls:
 * the reciprocal of throughput, garbage collection included (createHmac makes
 * a native Hmac object per call, and collecting those is part of its cost).
 * `p50` is the median batch, which leaves out the batches a collection landed
 * in; printed beside, for comparison.
 */
function latencies(task) {
  const { result } = task;
  if (result.state !== 'completed') throw new Error(`bench: ${task.name} ${result.state}: ${result.error ?? ''}`);
  return { mean: result.latency.mean, p50: result.latency.p50 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const rows = {};
for (const [name, rounds] of perRound) {
  const means = rounds.map((r) => r.mean);
  const mean = median(means);
  const ratio = median(rounds.map((r) => r.ratio));
  const spread = ((Math.max(...means) - Math.min(...means)) / mean) * 100;
  rows[name] = {
    'ops/s': Math.round(1000 / mean).toLocaleString('en-US'),
    'µs/op': (mean * 1000).toFixed(2),
    spread: `${spread.toFixed(1)}%`,
    ratio: name === BASELINE ? '1.00' : ratio.toFixed(2),
    target: name.startsWith('node:') ? `≥ ${TARGET} ${ratio >= TARGET ? 'ok' : 'BELOW'}` : '',
    'ratio of median batches': name === BASELINE ? '1.00' : median(rounds.map((r) => r.p50Ratio)).toFixed(2),
  };
}

console.log(
  `\nvk-miniapp-auth verify benchmark: Node ${process.version}, ${ROUNDS} rounds, ${BATCH} calls per sample, ${seconds} s`,
);
console.log(`Authorization: ${authorization.length} chars; canonical: ${canonical.length} chars\n`);
console.table(rows);
console.log('ratio: baseline throughput ÷ task throughput in the same round (total time over all calls, garbage');
console.log('collection included), median over rounds. µs/op: mean per call, median over rounds. spread: (slowest −');
console.log(
  'fastest round) ÷ median. Target: node paths ≥ 0.6. ratio of median batches: the same ratio from the median',
);
console.log('256-call batch of each task, which leaves out the batches where a garbage collection landed.');
if (sessionLib) {
  const sessionToLaunch = median(perRound.get(LAUNCH).map((r, i) => r.mean / perRound.get(SESSION)[i].mean));
  console.log(
    `\nsession path ÷ launch-params path: ${sessionToLaunch.toFixed(2)} (a session token costs ${(1 / sessionToLaunch).toFixed(1)}× a launch's verification)`,
  );
}
if (sink === 0.5) console.log(sink); // keeps results observable; never true

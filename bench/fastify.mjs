// Requests per second of a Fastify route behind vk-miniapp-auth/fastify against
// the same route without it: one app, one process, one run, driven over
// loopback by autocannon. `npm run build` first: this imports the built
// package by its own name. Not a test: nothing here asserts on time.
//
// The load generator runs in a worker thread (autocannon's `workers`), so the
// server keeps the main thread to itself. Tune with BENCH_DURATION (seconds
// per measured run, default 5), BENCH_ROUNDS (default 3) and BENCH_WORKERS
// (default 1; 0 drives the load from the main thread, sharing it with the server).

import autocannon from 'autocannon';
import Fastify from 'fastify';
import { signLaunchParams } from 'vk-miniapp-auth';
import { vkMiniAppAuth } from 'vk-miniapp-auth/fastify';
import { BENCH_APP_ID, BENCH_SECRET, BENCH_USER_ID, benchLaunch } from './launch.mjs';

/** The authenticated route must keep at least this share of the unauthenticated throughput. */
const TARGET = 0.85;
const DURATION = positiveNumber('BENCH_DURATION', 5);
const ROUNDS = positiveNumber('BENCH_ROUNDS', 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const WARMUP = 2;
const CONNECTIONS = 50;

const secret = BENCH_SECRET;
const appId = BENCH_APP_ID;

const app = Fastify({ logger: false });
const handler = async (request) => ({ user_id: request.vk?.user.id ?? BENCH_USER_ID });
const resolveUser = (params) => ({ id: params.vk_user_id, name: 'bench' });
app.get('/open', handler);
// Sibling scopes, each with its own adapter: the default options, and the
// verified-credential cache off (every request parsed and HMAC'd in full).
for (const [url, cache] of [
  ['/auth', undefined],
  ['/auth-uncached', false],
]) {
  await app.register(async (scope) => {
    await scope.register(vkMiniAppAuth, { secret, appId, resolveUser, ...(cache === undefined ? {} : { cache }) });
    scope.get(url, handler);
  });
}

const query = await benchLaunch(signLaunchParams, Math.floor(Date.now() / 1000));
const headers = { authorization: `Bearer ${query}` };

// Both routes must answer as intended, or the figures mean nothing.
const checks = [
  [await app.inject({ url: '/open', headers }), 200],
  [await app.inject({ url: '/auth', headers }), 200],
  [await app.inject({ url: '/auth' }), 401],
  [await app.inject({ url: '/auth-uncached', headers }), 200],
  [await app.inject({ url: '/auth-uncached' }), 401],
];
for (const [response, status] of checks) {
  if (response.statusCode !== status) throw new Error(`bench: expected ${status}, got ${response.statusCode}`);
}

const address = await app.listen({ host: '127.0.0.1', port: 0 });
// Both get the same request, Authorization included (a mini app's front end sends
// it everywhere), so the difference is the adapter's work, not parsing a longer request.
const routes = {
  unauthenticated: { url: `${address}/open`, headers },
  authenticated: { url: `${address}/auth`, headers },
  uncached: { url: `${address}/auth-uncached`, headers },
};

/** Requests per second of one route over `duration` seconds. */
async function measure(name, duration) {
  const result = await autocannon({
    ...routes[name],
    connections: CONNECTIONS,
    pipelining: 1,
    duration,
    ...(WORKERS > 0 ? { workers: WORKERS } : {}),
  });
  const failures = result.errors + result.timeouts + result.non2xx;
  if (failures > 0) console.warn(`  ! ${name}: ${failures} failed or non-2xx responses`);
  return result.requests.total / duration;
}

try {
  console.log(
    `Fastify ${app.version}, Node ${process.version}: ${CONNECTIONS} connections, pipelining 1, ` +
      `${ROUNDS} × ${DURATION} s per route (after ${WARMUP} s warm-up), load from ${WORKERS || 'the main'} ` +
      `${WORKERS === 1 ? 'worker thread' : WORKERS ? 'worker threads' : 'thread'}`,
  );
  await measure('unauthenticated', WARMUP);
  await measure('authenticated', WARMUP);
  await measure('uncached', WARMUP);

  const runs = { unauthenticated: [], authenticated: [], uncached: [] };
  const names = Object.keys(runs);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate which route goes first, so drift (heat, other load) hits all alike.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) runs[name].push(await measure(name, DURATION));
    const base = runs.unauthenticated[round];
    console.log(
      `  round ${round + 1}: open ${format(base)}, auth ${format(runs.authenticated[round])} ` +
        `(${(runs.authenticated[round] / base).toFixed(3)}), uncached ${format(runs.uncached[round])} ` +
        `(${(runs.uncached[round] / base).toFixed(3)}) req/s`,
    );
  }

  const open = median(runs.unauthenticated);
  const auth = median(runs.authenticated);
  const uncached = median(runs.uncached);
  const ratio = auth / open;
  console.table([
    { route: 'GET /open (no adapter, baseline)', 'req/s (median)': format(open), ratio: '1.000' },
    { route: 'GET /auth (adapter, default options)', 'req/s (median)': format(auth), ratio: ratio.toFixed(3) },
    {
      route: 'GET /auth-uncached (adapter, cache: false)',
      'req/s (median)': format(uncached),
      ratio: (uncached / open).toFixed(3),
    },
  ]);
  console.log(
    `authenticated / unauthenticated: ${ratio.toFixed(3)} (target ≥ ${TARGET}) ${ratio >= TARGET ? 'ok' : 'BELOW TARGET'}\n` +
      'The default adapter remembers verified credentials (a session repeats the same launch params);\n' +
      'cache: false shows every request parsed and verified in full.',
  );
} finally {
  await app.close();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function format(value) {
  return Math.round(value).toLocaleString('en-US');
}

function positiveNumber(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0)) throw new Error(`bench: ${name} must be a positive number`);
  return value;
}

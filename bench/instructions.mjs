// Instructions per verification, counted by valgrind's callgrind: unlike time,
// the count barely moves between runs or with other load on the machine, so it
// resolves the few-percent differences a timed run on a busy box cannot. Used
// to decide which performance tricks earn their place (docs/speed.md).
// Needs valgrind (`apt-get install -y valgrind`). Not part of `npm run bench`.
//
//   node bench/instructions.mjs                    # the current build (npm run build first)
//   BENCH_DIST=/tmp/copy/dist node bench/instructions.mjs
//
// Each figure is (count after 10 000 calls − count after 4 000 calls) / 6 000:
// start-up, module loading and the JIT's warm-up cancel out. Node runs with
// --single-threaded, so the JIT compiles at the same point in every run (with
// background compilation the count moved by half from run to run).

import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_SECRET, BENCH_USER_ID, benchLaunch } from './launch.mjs';

const WARM = 4000;
const MEASURED = 6000;
const [, , role, countText] = process.argv;

const dist = process.env.BENCH_DIST
  ? pathToFileURL(`${process.env.BENCH_DIST.replace(/\/$/, '')}/`)
  : new URL('../dist/', import.meta.url);

if (role === 'verify' || role === 'createHmac') {
  // A child under valgrind: run `count` calls of one task and exit.
  const lib = await import(new URL('node/index.mjs', dist).href);
  const query = await benchLaunch(lib.signLaunchParams, 1714000000);
  const authorization = `Bearer ${query}`;
  const canonical = query.slice(0, query.lastIndexOf('&sign='));
  const options = { secret: BENCH_SECRET, maxAge: 0 };
  let sink = 0;
  for (let i = 0; i < Number(countText); i++) {
    sink ^=
      role === 'verify'
        ? (await lib.verifyLaunchParams(authorization, options)).vk_user_id
        : createHmac('sha256', BENCH_SECRET).update(canonical).digest().length;
  }
  if (role === 'verify' && Number(countText) > 0 && sink !== (Number(countText) % 2 ? BENCH_USER_ID : 0)) {
    throw new Error('bench: the build refused its own credential');
  }
} else {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('bench/instructions.mjs needs valgrind: apt-get install -y valgrind');
    process.exit(1);
  }
  const self = fileURLToPath(import.meta.url);
  /** Instructions callgrind counted for `calls` calls of `task`, in a fresh process. */
  const count = (task, calls) => {
    const run = spawnSync(
      'valgrind',
      [
        '--tool=callgrind',
        '--callgrind-out-file=/dev/null',
        process.execPath,
        '--single-threaded',
        self,
        task,
        String(calls),
      ],
      { encoding: 'utf8', env: process.env },
    );
    const collected = /Collected : (\d+)/.exec(run.stderr);
    if (run.status !== 0 || collected === null) throw new Error(`bench: valgrind failed\n${run.stderr}`);
    return Number(collected[1]);
  };
  const perCall = (task) => (count(task, WARM + MEASURED) - count(task, WARM)) / MEASURED;
  const hmac = perCall('createHmac');
  const verify = perCall('verify');
  console.table({
    'createHmac(sha256).digest() (baseline)': { 'instructions/call': Math.round(hmac), ratio: '1.00' },
    'node: verifyLaunchParams, shared options': {
      'instructions/call': Math.round(verify),
      ratio: (hmac / verify).toFixed(2),
    },
  });
  console.log('ratio: baseline instructions ÷ task instructions (higher is better, as in bench/verify.mjs).');
}

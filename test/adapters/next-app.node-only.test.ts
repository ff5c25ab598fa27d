// The Next.js adapter in a real Next.js app (test/next-app), built with
// `next build` (without the app's secrets) and served by `next start` on
// 127.0.0.1, checked over HTTP: route handlers on the Node.js runtime (a
// dynamic one too), on the Edge runtime, and proxy.ts; then a server without
// the secret, and a second build with cacheComponents. The app imports
// `vk-miniapp-auth/next` by name: it has no package.json of its own, so the
// name resolves through this package's own `exports` (self-reference) to
// dist/, and `next` and `react` come from the root node_modules. The app is
// TypeScript: each build type-checks it against the package's published types
// (dist/*.d.mts) and Next's generated route types (RouteContext). Runs once, in
// the node-crypto project.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingOptionError } from '../../src/missing-option.js';
import { createExpiredLaunchParams, createLaunchParams, createTamperedLaunchParams } from '../../src/testing.js';
import { challengeFor } from './fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const appDir = join(root, 'test/next-app');
const nextBin = join(root, 'node_modules/next/dist/bin/next');
const BUILT = ['dist/node/next.mjs', 'dist/web/next.mjs'];

const SECRET = 'next-app-test-secret';
const APP_ID = 6736218;
const USER_ID = 42;
const RUN_ENV = { VK_APP_SECRET: SECRET, VK_APP_ID: String(APP_ID) };

const BUILD_TIMEOUT = 300_000; // a cold build takes 20-40 s here, minutes on a busy 2-core machine
const START_TIMEOUT = 60_000;

// Each run builds into its own distDirs (gitignored, removed afterwards), so
// two runs in one checkout do not collide on Next's build lock.
const runId = `${process.pid}-${Date.now().toString(36)}`;
const DIST_DIR = `.next-test-${runId}`;
const CACHE_COMPONENTS_DIST_DIR = `.next-test-${runId}-cache-components`;

// Next 16 in a container writes telemetry settings to ./cache under its working
// directory, even with telemetry disabled: run it from a temp dir (made in
// beforeAll), not from the app.
let cwd = '';

/** The environment of a `next` command: this process's, without the app's variables or Vitest's NODE_ENV. */
function nextEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...extra };
  for (const name of ['VK_APP_SECRET', 'VK_APP_ID', 'NODE_ENV']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** `next build` of the app; rejects with its output when it fails. */
function nextBuild(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build', appDir], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk;
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`next build exited with ${code}:\n${output.slice(-6000)}`));
    });
  });
}

interface NextServer {
  url: string;
  /** Everything the server printed so far, stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

const servers: NextServer[] = [];

/** `next start` on 127.0.0.1, a free port; resolves once it is ready. */
function nextStart(env: NodeJS.ProcessEnv): Promise<NextServer> {
  const child: ChildProcess = spawn(process.execPath, [nextBin, 'start', appDir, '-H', '127.0.0.1', '-p', '0'], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: NextServer = {
    url: '',
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  servers.push(server);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`next start was not ready in time:\n${output}`)), START_TIMEOUT);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const url = /- Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url !== undefined && server.url === '' && /Ready in/.test(output)) {
        server.url = url;
        clearTimeout(timer);
        resolve(server);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`next start exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Waits until the server has printed something (output reaches this process asynchronously). */
async function waitForOutput(server: NextServer, test: (output: string) => boolean, what: string): Promise<void> {
  for (let waited = 0; !test(server.output()); waited += 50) {
    if (waited > 10_000) throw new Error(`the server never printed ${what}:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function get(server: NextServer, path: string, authorization?: string, headers: Record<string, string> = {}) {
  return fetch(server.url + path, {
    headers: authorization === undefined ? headers : { ...headers, Authorization: authorization },
  });
}

async function expectRefusal(response: Response, code: string): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe(challengeFor(code));
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: unknown; message: unknown };
  expect(body.error).toBe(code);
  expect(typeof body.message).toBe('string');
}

/** A 500 from Next itself: not the adapter's 401, and no handler's answer. */
async function expectServerError(response: Response): Promise<void> {
  expect(response.status).toBe(500);
  expect(response.headers.get('www-authenticate')).toBeNull();
  expect(await response.text()).not.toContain('"error"');
}

// Next is a root devDependency: locally a missing install is a skip with a
// warning, as for the other extra programs; under CI it fails.
const nextInstalled = existsSync(nextBin);
if (!nextInstalled && !process.env.CI) {
  console.warn(`[next-app] ${nextBin} is missing (npm install): skipping the real Next.js app (under CI this fails).`);
}
const describeApp = nextInstalled || process.env.CI ? describe : describe.skip;

describeApp('vk-miniapp-auth/next in a real Next.js app (next build, next start)', () => {
  let launch: string;
  let server: NextServer;
  let buildOutput: string;

  beforeAll(async () => {
    if (!nextInstalled) throw new Error(`${nextBin} is missing; CI must test the real Next.js app (npm ci).`);
    const unbuilt = BUILT.filter((file) => !existsSync(join(root, file)));
    if (unbuilt.length > 0) {
      throw new Error(`dist/ is not built (missing ${unbuilt.join(', ')}): run \`npm run build\` (npm test does).`);
    }
    cwd = mkdtempSync(join(tmpdir(), 'vk-next-app-'));
    // No VK_APP_SECRET or VK_APP_ID: the build loads every route module, and must succeed.
    buildOutput = await nextBuild(nextEnv({ VK_NEXT_APP_DIST_DIR: DIST_DIR }));
    server = await nextStart(nextEnv({ ...RUN_ENV, VK_NEXT_APP_DIST_DIR: DIST_DIR }));
    launch = (await createLaunchParams({ secret: SECRET, userId: USER_ID, appId: APP_ID })).authorization;
  }, BUILD_TIMEOUT);

  afterAll(async () => {
    await Promise.all(servers.map((each) => each.stop()));
    for (const dir of [DIST_DIR, CACHE_COMPONENTS_DIST_DIR])
      rmSync(join(appDir, dir), { recursive: true, force: true });
    if (cwd !== '') rmSync(cwd, { recursive: true, force: true });
  }, 30_000);

  it('next build type-checks the app, and leaves its tsconfig.json as it is', () => {
    // A type error in the app fails the build; Next prints this only when its check ran.
    expect(buildOutput).toMatch(/Finished TypeScript/);
    // Printed when Next rewrites (or creates) tsconfig.json: the committed one must need nothing.
    expect(buildOutput).not.toMatch(/We detected TypeScript in your project/);
  });

  it('a Node.js route handler answers a valid launch with its user', async () => {
    const response = await get(server, '/api/me', launch);
    expect(response.status).toBe(200);
    // Typed withVk<RouteContext<'/api/me'>, NextRequest>: the handler gets Next's own request.
    expect(response.headers.get('x-next-url-pathname')).toBe('/api/me');
    expect(await response.json()).toEqual({
      user: { id: expect.any(Number), vkUserId: USER_ID },
      vk_user_id: USER_ID,
      runtime: 'nodejs',
    });
  });

  it("a dynamic route handler gets Next's params and the user", async () => {
    const response = await get(server, '/api/items/item-7', launch);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'item-7', user: { id: expect.any(Number), vkUserId: USER_ID } });
  });

  it('an Edge route handler answers a valid launch with its user, on the Edge runtime', async () => {
    const response = await get(server, '/api/edge', launch);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      user: { id: expect.any(Number), vkUserId: USER_ID },
      vk_user_id: USER_ID,
      runtime: 'edge',
    });
  });

  it("proxy.ts lets a valid launch through, passes the verified user on, and Next's waitUntil works", async () => {
    // A client's own x-vk-user-id is replaced by the verified one.
    const response = await get(server, '/guarded/whoami', launch, { 'x-vk-user-id': '1' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ vk_user_id: USER_ID });
    await waitForOutput(
      server,
      (output) => output.includes(`proxy: let vk_user_id ${USER_ID} through`),
      'the log line',
    );
  });

  describe.each([
    ['the Node.js route', '/api/me'],
    ['the dynamic route', '/api/items/item-7'],
    ['the Edge route', '/api/edge'],
    ['proxy.ts', '/guarded/whoami'],
  ])('%s refuses with 401, the JSON code and WWW-Authenticate', (_name, path) => {
    it('tampered → SIGN_INVALID', async () => {
      const tampered = await createTamperedLaunchParams({ secret: SECRET, userId: USER_ID, appId: APP_ID });
      await expectRefusal(await get(server, path, tampered.authorization), 'SIGN_INVALID');
    });

    it('expired → EXPIRED', async () => {
      const expired = await createExpiredLaunchParams({ secret: SECRET, userId: USER_ID, appId: APP_ID });
      await expectRefusal(await get(server, path, expired.authorization), 'EXPIRED');
    });

    it('missing → MISSING_CREDENTIALS', async () => {
      await expectRefusal(await get(server, path), 'MISSING_CREDENTIALS');
    });

    it('another app (appId from VK_APP_ID) → APP_ID_MISMATCH', async () => {
      const other = await createLaunchParams({ secret: SECRET, userId: USER_ID, appId: APP_ID + 1 });
      await expectRefusal(await get(server, path, other.authorization), 'APP_ID_MISMATCH');
    });
  });

  it("a resolveUser that throws is Next's 500, never a 401", async () => {
    await expectServerError(await get(server, '/api/broken', launch));
    await waitForOutput(server, (output) => output.includes('the database is down'), "Next's error report");
  });

  describe('started without VK_APP_SECRET', () => {
    let unconfigured: NextServer;
    const message = new MissingOptionError('secret').message;
    const loggedLines = () =>
      unconfigured
        .output()
        .split('\n')
        .filter((line) => line.trim() === message).length;

    beforeAll(async () => {
      // VK_APP_ID is set: with neither variable, the message names options.appId first.
      unconfigured = await nextStart(nextEnv({ VK_APP_ID: String(APP_ID), VK_NEXT_APP_DIST_DIR: DIST_DIR }));
    }, START_TIMEOUT);

    it('answers a guarded request 500, never 401, and logs the reason once, naming options.secret', async () => {
      expect(message).toContain('options.secret');
      await expectServerError(await get(unconfigured, '/api/me', launch));
      await expectServerError(await get(unconfigured, '/api/me', launch));
      await expectServerError(await get(unconfigured, '/api/me'));
      // Next reports each failed request; the adapter's own line comes before the first.
      await waitForOutput(unconfigured, (output) => output.split('MissingOptionError').length > 3, "Next's reports");
      expect(loggedLines()).toBe(1);
    });

    it('answers 500 on the Edge route and in proxy.ts too', async () => {
      await expectServerError(await get(unconfigured, '/api/edge', launch));
      await expectServerError(await get(unconfigured, '/guarded/whoami', launch));
    });
  });

  describe('built with cacheComponents, as create-next-app sets it up', () => {
    let cached: NextServer;
    let cachedBuildOutput: string;

    beforeAll(async () => {
      const extra = { VK_NEXT_APP_CACHE_COMPONENTS: '1', VK_NEXT_APP_DIST_DIR: CACHE_COMPONENTS_DIST_DIR };
      cachedBuildOutput = await nextBuild(nextEnv(extra));
      cached = await nextStart(nextEnv({ ...RUN_ENV, ...extra }));
    }, BUILD_TIMEOUT);

    it('type-checks the app too, leaving tsconfig.json as it is', () => {
      expect(cachedBuildOutput).toMatch(/Finished TypeScript/);
      expect(cachedBuildOutput).not.toMatch(/We detected TypeScript in your project/);
    });

    it('prerenders no guarded GET handler: each request is verified when it comes', async () => {
      for (const path of ['/api/me', '/api/items/item-7', '/guarded/whoami']) {
        expect((await get(cached, path, launch)).status).toBe(200);
        await expectRefusal(await get(cached, path), 'MISSING_CREDENTIALS');
      }
      expect(await (await get(cached, '/api/items/item-8', launch)).json()).toMatchObject({ id: 'item-8' });
    });
  });
});

// The demo server (examples/demo/server), over HTTP: on SQLite, and on a real
// PostgreSQL server when DATABASE_URL is set (CI starts one with
// examples/demo/scripts/start-postgres.sh; under CI its absence is a failure).
// The demo imports the built library by name, so these tests need `npm run build`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DemoConfig } from '../../examples/demo/server/config.mjs';
import type { DemoUser, UserStore } from '../../examples/demo/server/store.mjs';
import { signLaunchParams, verifyLaunchParams } from '../../src/index.js';
import { challengeFor } from '../adapters/fixtures.js';
import {
  DATABASE_URL,
  type DemoProcess,
  freePort,
  killDemo,
  lazyStore,
  postgresAvailable,
  postgresSchema,
  ROOT,
  type RowCounter,
  requireBuild,
  sqliteDatabase,
  startDemo,
  waitForHealth,
} from './server-harness.js';

requireBuild();
const { buildApp, CLIENT_PATH, DEFAULT_PUBLIC_DIR } = await import('../../examples/demo/server/app.mjs');
const { ConfigError, DEFAULT_SQLITE_PATH, DEV_APP_ID, loadConfig } = await import(
  '../../examples/demo/server/config.mjs'
);
const { FAKE_USERS } = await import('../../examples/demo/server/fake-users.mjs');
const { openSqliteStore } = await import('../../examples/demo/server/sqlite-store.mjs');
const { openPostgresStore } = await import('../../examples/demo/server/postgres-store.mjs');

const DEV_SECRET = 'dev-secret-of-the-test';
const VK_SECRET = 'vk-secure-key-of-the-test';
const VK_APP_ID = 51234567;
/** 2026-11-30T12:00:00Z: the tests' clock starts here and moves only when told. */
const T0 = Date.UTC(2026, 10, 30, 12);

const devConfig = (): DemoConfig => loadConfig({}, { randomSecret: () => DEV_SECRET });
const vkConfig = (): DemoConfig =>
  loadConfig({ VK_APP_ID: String(VK_APP_ID), VK_APP_SECRET: VK_SECRET }, { randomSecret: () => 'unused' });

/** A demo app on `store` with a clock of its own; closed after each test. */
interface Demo {
  app: FastifyInstance;
  config: DemoConfig;
  clock: { ms: number };
  /** A launch of `vkUserId` signed now (by the demo's clock) with the demo's secret and app id. */
  launch(vkUserId: number, overrides?: Record<string, string | number>): Promise<string>;
  get(url: string, launch?: string): Promise<LightMyRequestResponse>;
}

const openApps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(openApps.splice(0).map((app) => app.close()));
});

async function demo(store: UserStore, config: DemoConfig = devConfig()): Promise<Demo> {
  const clock = { ms: T0 };
  const app = await buildApp({ config, store, now: () => clock.ms });
  openApps.push(app);
  return {
    app,
    config,
    clock,
    launch: (vkUserId, overrides = {}) =>
      signLaunchParams(
        {
          vk_app_id: config.appId,
          vk_is_app_user: 1,
          vk_language: 'ru',
          vk_platform: 'mobile_android',
          vk_ts: Math.floor(clock.ms / 1000),
          vk_user_id: vkUserId,
          ...overrides,
        },
        config.secret,
      ),
    get: (url, launch) =>
      app.inject({ method: 'GET', url, headers: launch === undefined ? {} : { authorization: `Bearer ${launch}` } }),
  };
}

/** A refusal of the adapter, in Fastify's error shape, with the demo's headers. */
function expectRefusal(response: LightMyRequestResponse, code: string): void {
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toBe(challengeFor(code));
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.json()).toEqual({ statusCode: 401, code, error: 'Unauthorized', message: expect.any(String) });
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The store-dependent behaviour, run on each store. Each test uses VK user ids
 * of its own, so the tests share one database.
 */
function storeSuite(open: () => Promise<UserStore>, countRows: () => RowCounter): void {
  const storeOf = lazyStore(open);

  it('creates the user on the first request and records the next request of the same launch as a visit', async () => {
    const store = await storeOf();
    const { get, launch, clock, config } = await demo(store);
    const query = await launch(494075); // a fake user: the server knows the name
    const first = await get('/api/me', query);
    expect(first.statusCode).toBe(200);
    const created = first.json().user as DemoUser;
    expect(first.json()).toEqual({
      user: {
        id: expect.any(Number),
        vkUserId: 494075,
        name: 'Иван Петров',
        language: 'ru',
        platform: 'mobile_android',
        launchCount: 1,
        createdAt: iso(T0),
        lastSeenAt: iso(T0),
      },
      verified: { appId: config.appId, platform: 'mobile_android', language: 'ru', vkTs: T0 / 1000, ageSeconds: 0 },
    });

    clock.ms = T0 + 5_000; // the page calls the API again, same launch params
    const second = await get('/api/me', query);
    expect(second.statusCode).toBe(200);
    expect(second.json().user).toEqual({ ...created, launchCount: 1, lastSeenAt: iso(T0 + 5_000) });
    expect(second.json().verified.ageSeconds).toBe(5);
    expect(await countRows()(494075)).toBe(1);
  });

  it('counts a new launch (a later vk_ts) and takes its language and platform; an older launch is only a visit', async () => {
    const store = await storeOf();
    const { get, launch, clock } = await demo(store);
    const morning = await launch(2001);
    expect((await get('/api/me', morning)).json().user).toMatchObject({ launchCount: 1, language: 'ru', name: null });

    clock.ms = T0 + 60_000;
    const evening = await launch(2001, { vk_language: 'en', vk_platform: 'desktop_web' });
    const relaunched = (await get('/api/me', evening)).json().user as DemoUser;
    expect(relaunched).toMatchObject({
      launchCount: 2,
      language: 'en',
      platform: 'desktop_web',
      createdAt: iso(T0),
      lastSeenAt: iso(T0 + 60_000),
    });

    clock.ms = T0 + 90_000; // the morning tab is still open and calls the API
    expect((await get('/api/me', morning)).json().user).toEqual({ ...relaunched, lastSeenAt: iso(T0 + 90_000) });
    expect(await countRows()(2001)).toBe(1);
  });

  it('refuses a tampered launch with 401 SIGN_INVALID and stores nobody', async () => {
    const store = await storeOf();
    const { get, launch } = await demo(store);
    const tampered = (await launch(2002)).replace('vk_user_id=2002', 'vk_user_id=2003');
    expectRefusal(await get('/api/me', tampered), 'SIGN_INVALID');
    expectRefusal(await get('/protected', tampered), 'SIGN_INVALID');
    expectRefusal(await get('/api/me'), 'MISSING_CREDENTIALS');
    expect(await countRows()(2003)).toBe(0);
    expect(await store.findByVkUserId(2003)).toBeNull();
  });

  it('answers GET /protected with exactly {"user_id": <stored id>}', async () => {
    const store = await storeOf();
    const { get, launch } = await demo(store);
    const response = await get('/protected', await launch(2004));
    expect(response.statusCode).toBe(200);
    const stored = await store.findByVkUserId(2004);
    expect(response.body).toBe(JSON.stringify({ user_id: stored?.id }));
  });

  it('returns the stored user from GET /api/me', async () => {
    const store = await storeOf();
    const { get, launch, clock } = await demo(store);
    await get('/protected', await launch(2005));
    clock.ms = T0 + 1_000;
    const response = await get('/api/me', await launch(2005, { vk_platform: 'mobile_iphone' }));
    expect(response.json().user).toEqual(await store.findByVkUserId(2005));
    expect(response.json().user).toMatchObject({ launchCount: 2, platform: 'mobile_iphone' });
  });

  it('creates exactly one row for 50 concurrent first requests of one user, over real HTTP', async () => {
    const store = await storeOf();
    const { app, launch } = await demo(store);
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    const query = await launch(2006);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => fetch(`${origin}/protected`, { headers: { authorization: `Bearer ${query}` } })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    const ids = new Set(await Promise.all(responses.map(async (response) => (await response.json()).user_id)));
    expect(ids.size).toBe(1);
    expect(await countRows()(2006)).toBe(1);
    expect(await store.findByVkUserId(2006)).toMatchObject({ launchCount: 1 });
  });

  it('creates exactly one row when two instances on one database race for the same new user', async () => {
    const store = await storeOf();
    const other = await open(); // a second server instance: its own connection(s)
    try {
      const visit = {
        vkUserId: 2007,
        name: null,
        language: 'ru',
        platform: 'mobile_web',
        launchTs: T0 / 1000,
        seenAt: new Date(T0),
      };
      const users = await Promise.all(
        Array.from({ length: 50 }, (_, index) => (index % 2 ? other : store).upsertOnLaunch(visit)),
      );
      expect(new Set(users.map((user) => user.id)).size).toBe(1);
      expect(await countRows()(2007)).toBe(1);
    } finally {
      await other.close();
    }
  });
}

describe('the demo server on SQLite', () => {
  const database = sqliteDatabase();
  afterAll(() => database.remove());
  storeSuite(
    async () => openSqliteStore(database.path),
    () => database.countRows,
  );

  it('creates the file and its folder, in WAL mode', async () => {
    const other = sqliteDatabase();
    const path = join(other.path, '..', 'new-folder', 'demo.sqlite');
    try {
      await openSqliteStore(path).close();
      const db = new Database(path, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    } finally {
      other.remove();
    }
  });
});

const withPostgres = postgresAvailable('the demo server on PostgreSQL');

describe.runIf(withPostgres)('the demo server on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof postgresSchema>> | undefined;
  let schemaError: unknown;
  beforeAll(async () => {
    // Kept, not thrown: each test then fails with it (a failing beforeAll would mark them skipped).
    schema = await postgresSchema(DATABASE_URL ?? '').catch((error: unknown) => {
      schemaError = error;
      return undefined;
    });
  });
  afterAll(async () => {
    await schema?.drop();
  });
  storeSuite(
    async () => openPostgresStore(schemaOf(schema, schemaError).url),
    () => schemaOf(schema, schemaError).countRows,
  );

  it('comes up from main.mjs on DATABASE_URL and exits 0 on SIGINT', async () => {
    await runMainAndStop(
      { DATABASE_URL: schemaOf(schema, schemaError).url },
      'SIGINT',
      /Store: PostgreSQL 127\.0\.0\.1:\d+\//,
    );
  });
});

function schemaOf(schema: Awaited<ReturnType<typeof postgresSchema>> | undefined, error: unknown) {
  if (schema === undefined) throw error ?? new Error('the PostgreSQL test schema was not created');
  return schema;
}

describe('the demo server, dev mode and pages', () => {
  let store: UserStore;
  beforeAll(() => {
    store = openSqliteStore(':memory:');
  });
  afterAll(async () => {
    await store.close();
  });

  it('lists the fake users at /dev/launches with links signed by the dev secret: fresh, tampered and expired', async () => {
    const { get, clock } = await demo(store);
    const response = await get('/dev/launches');
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      appId: number;
      users: { vkUserId: number; name: string; url: string; tamperedUrl: string; expiredUrl: string }[];
    };
    expect(body.appId).toBe(DEV_APP_ID);
    expect(body.users.map(({ vkUserId, name }) => ({ vkUserId, name }))).toEqual(
      FAKE_USERS.map(({ vkUserId, name }) => ({ vkUserId, name })),
    );
    expect(body.users.some((user) => /[А-Яа-яЁё]/.test(user.name))).toBe(true);

    for (const user of body.users) {
      for (const url of [user.url, user.tamperedUrl, user.expiredUrl]) expect(url).toMatch(/^\/\?vk_/);
      const params = await verifyLaunchParams(user.url.slice(2), {
        secret: DEV_SECRET,
        appId: DEV_APP_ID,
        now: () => clock.ms,
      });
      expect(params).toMatchObject({ vk_user_id: user.vkUserId, vk_ts: clock.ms / 1000 });

      const me = await get('/api/me', user.url.slice(2));
      expect(me.statusCode).toBe(200);
      expect(me.json().user).toMatchObject({ vkUserId: user.vkUserId, name: user.name, launchCount: 1 });
      expect(user.tamperedUrl).not.toContain(`vk_user_id=${user.vkUserId}&`);
      expectRefusal(await get('/api/me', user.tamperedUrl.slice(2)), 'SIGN_INVALID');
      expectRefusal(await get('/api/me', user.expiredUrl.slice(2)), 'EXPIRED');
    }
  });

  it('serves the pages and assets with their content types, Referrer-Policy and a same-origin CSP', async () => {
    const { get } = await demo(store);
    for (const url of ['/', '/launcher', '/?vk_user_id=1&sign=x']) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(page.body).toMatch(/^<!doctype html>/i);
    }
    const types: Record<string, RegExp> = { '.js': /^text\/javascript/, '.css': /^text\/css/ };
    const assets = readdirSync(DEFAULT_PUBLIC_DIR).filter((file) => extname(file) in types);
    expect(assets.length).toBeGreaterThan(0);
    for (const file of assets) {
      const asset = await get(`/${file}`);
      expect(asset.statusCode, file).toBe(200);
      expect(asset.headers['content-type']).toMatch(types[extname(file)] as RegExp);
      expect(asset.headers['referrer-policy']).toBe('no-referrer');
    }
    // The page's import of vk-miniapp-auth/client, served from the built package.
    const client = await get(CLIENT_PATH);
    expect(client.statusCode).toBe(200);
    expect(client.headers['content-type']).toMatch(/^text\/javascript/);
    expect(client.body).toMatch(/export \{[^}]*createVkFetch/);
    expect(readFileSync(join(DEFAULT_PUBLIC_DIR, 'app.js'), 'utf8')).toContain(`from '${CLIENT_PATH}'`);
    const health = await get('/health');
    expect(health.json()).toEqual({ ok: true });
    expect(health.headers['referrer-policy']).toBe('no-referrer');
    expect((await get('/favicon.ico')).statusCode).toBeLessThan(300);
  });

  it('sends Permissions-Policy, COOP, a frame-ancestors allowing VK and OK, and HSTS over HTTPS only', async () => {
    const { app, get } = await demo(store);
    const page = await get('/');
    expect(page.headers['permissions-policy']).toMatch(/(^|, )camera=\(\)/);
    expect(page.headers['permissions-policy']).toMatch(/(^|, )geolocation=\(\)/);
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['content-security-policy']).toContain('frame-ancestors');
    const frameAncestors = /frame-ancestors ([^;]*)/.exec(String(page.headers['content-security-policy']))?.[1];
    expect(frameAncestors?.split(' ')).toEqual(
      expect.arrayContaining(['https://vk.com', 'https://*.vk.com', 'https://ok.ru', 'https://*.ok.ru']),
    );
    // The app runs in VK's iframe: nothing may forbid framing outright.
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const proxied = await app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('serves nothing outside public/, and HTML only through its routes', async () => {
    const { get } = await demo(store);
    for (const url of [
      '/index.html',
      '/launcher.html',
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/server/app.mjs',
      '/public/index.html',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('guards every /api/* route: unknown ones are 401 without credentials, 404 with them', async () => {
    const { get, launch } = await demo(store);
    expectRefusal(await get('/api/nope'), 'MISSING_CREDENTIALS');
    const found = await get('/api/nope', await launch(3001));
    expect(found.statusCode).toBe(404);
    expect(found.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('refuses a launch signed for another app with APP_ID_MISMATCH', async () => {
    const { get, launch } = await demo(store);
    expectRefusal(await get('/api/me', await launch(3002, { vk_app_id: DEV_APP_ID + 1 })), 'APP_ID_MISMATCH');
  });

  it('answers a failing store with a 500 that does not leak the error', async () => {
    const failing: UserStore = {
      kind: 'sqlite',
      description: 'broken',
      upsertOnLaunch: async () => {
        throw new Error('connection to 10.0.0.5 refused, password=hunter2');
      },
      findByVkUserId: async () => null,
      recordOrder: async () => {
        throw new Error('not used');
      },
      close: async () => {},
    };
    const { get, launch } = await demo(failing);
    const response = await get('/api/me', await launch(3003));
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
    expect(response.body).not.toContain('hunter2');
    expect(response.headers['www-authenticate']).toBeUndefined();
  });
});

describe('the demo server with VK credentials', () => {
  let store: UserStore;
  beforeAll(() => {
    store = openSqliteStore(':memory:');
  });
  afterAll(async () => {
    await store.close();
  });

  it('has no launcher: /launcher, its script and /dev/launches are 404', async () => {
    const { get } = await demo(store, vkConfig());
    for (const url of ['/launcher', '/launcher.html', '/launcher.js', '/dev/launches']) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    expect((await get('/')).statusCode).toBe(200);
  });

  it('lets in launches signed with VK_APP_SECRET for VK_APP_ID, with no name, and refuses dev-signed ones', async () => {
    const { get, launch, clock } = await demo(store, vkConfig());
    const response = await get('/api/me', await launch(494075));
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ vkUserId: 494075, name: null, launchCount: 1 });
    expect(response.json().verified).toMatchObject({ appId: VK_APP_ID });

    const devSigned = await signLaunchParams(
      { vk_app_id: VK_APP_ID, vk_ts: clock.ms / 1000, vk_user_id: 494075 },
      'some-dev-secret',
    );
    expectRefusal(await get('/api/me', devSigned), 'SIGN_INVALID');
  });
});

describe('the demo configuration', () => {
  it('defaults to dev mode on 127.0.0.1:3000 with SQLite in examples/demo/data, and a new random secret each start', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      devMode: true,
      appId: DEV_APP_ID,
      database: { kind: 'sqlite', path: DEFAULT_SQLITE_PATH },
    });
    expect(DEFAULT_SQLITE_PATH).toBe(join(ROOT, 'examples/demo/data/demo.sqlite'));
    expect(config.secret).toMatch(/^[\w-]{20}$/);
    expect(loadConfig({}).secret).not.toBe(config.secret);
  });

  it('uses VK credentials, PostgreSQL and a relative SQLite path when set; empty values count as unset', () => {
    expect(vkConfig()).toMatchObject({ devMode: false, appId: VK_APP_ID, secret: VK_SECRET });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/app', SQLITE_PATH: 'x.sqlite' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/app',
    });
    expect(loadConfig({ SQLITE_PATH: 'x.sqlite' }).database).toEqual({
      kind: 'sqlite',
      path: join(process.cwd(), 'x.sqlite'),
    });
    expect(loadConfig({ PORT: '0', VK_APP_ID: '', VK_APP_SECRET: ' ', DATABASE_URL: '' })).toMatchObject({
      port: 0,
      devMode: true,
      database: { kind: 'sqlite' },
    });
  });

  it('lists every problem at once, without repeating a database URL', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: '70000', VK_APP_ID: 'abc', DATABASE_URL: 'mysql://root:hunter2@db/app', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const { problems, message } = caught as InstanceType<typeof ConfigError>;
    expect(problems).toHaveLength(5);
    expect(message).toMatch(/^The demo's configuration is not valid:\n {2}- PORT must be/);
    for (const name of ['PORT', 'VK_APP_SECRET is not', 'VK_APP_ID must be', 'DATABASE_URL', 'LOG_LEVEL']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('hunter2');
    expect(() => loadConfig({ VK_APP_SECRET: 's' })).toThrow(/VK_APP_SECRET is set but VK_APP_ID is not/);
  });
});

/**
 * Starts `node examples/demo/server/main.mjs` on a free port, waits for
 * /health, signs in through the printed dev secret, then sends `signal` and
 * expects a clean exit (code 0) after the server and the store closed.
 */
async function runMainAndStop(
  env: Record<string, string>,
  signal: NodeJS.Signals,
  store: RegExp,
): Promise<DemoProcess> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const running = startDemo({ PORT: String(port), ...env });
  try {
    await waitForHealth(running, origin);
    const { stdout } = running.output();
    expect(stdout).toContain(`Open ${origin}/launcher`);
    expect(stdout).toMatch(store);
    const secret = /Dev secret: (\S+)/.exec(stdout)?.[1];
    expect(secret).toMatch(/^[\w-]{20}$/);

    const launches = (await (await fetch(`${origin}/dev/launches`)).json()) as { users: { url: string }[] };
    const query = launches.users[0]?.url.slice(2) ?? '';
    await verifyLaunchParams(query, { secret: secret ?? '', appId: DEV_APP_ID });
    const me = await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${query}` } });
    expect(me.status).toBe(200);

    running.child.kill(signal);
    const exit = await running.exited;
    expect({ ...exit, ...running.output() }).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(running.output().stdout).toContain('Stopped.');
    return running;
  } finally {
    killDemo(running);
  }
}

describe('npm start: node examples/demo/server/main.mjs', () => {
  let running: DemoProcess | undefined;
  afterEach(() => killDemo(running));

  it('comes up with nothing configured but a temp SQLITE_PATH, answers /health, prints the launcher URL and dev secret, exits 0 on SIGTERM', async () => {
    const database = sqliteDatabase();
    try {
      running = await runMainAndStop({ SQLITE_PATH: database.path }, 'SIGTERM', /Store: SQLite /);
      // The store was closed, not abandoned: SQLite folds the WAL back into the file on the last close.
      expect(existsSync(database.path)).toBe(true);
      expect(existsSync(`${database.path}-wal`)).toBe(false);
    } finally {
      database.remove();
    }
  });

  it('refuses to start with a bad configuration: exit code 1 and every problem on stderr', async () => {
    running = startDemo({ PORT: 'eighty', VK_APP_ID: '1' });
    const exit = await running.exited;
    expect(exit.code).toBe(1);
    const { stderr } = running.output();
    expect(stderr).toContain("The demo's configuration is not valid:");
    expect(stderr).toContain('PORT must be');
    expect(stderr).toContain('VK_APP_ID is set but VK_APP_SECRET is not');
  });

  it('says so when the port is taken, and exits 1', async () => {
    const database = sqliteDatabase();
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      running = startDemo({ PORT: String(port), SQLITE_PATH: database.path });
      expect((await running.exited).code).toBe(1);
      expect(running.output().stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
      database.remove();
    }
  });
});

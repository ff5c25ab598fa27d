// The demo's shop (examples/demo/server/shop.mjs) over real HTTP: VK's signed
// payment notifications to POST /payments, on SQLite, and on PostgreSQL when
// DATABASE_URL is set (as in server.node-only.test.ts). The demo imports the
// built library by name, so these tests need `npm run build`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UserStore } from '../../examples/demo/server/store.mjs';
import { type PaymentsReply, signPaymentNotification } from '../../src/payments.js';
import {
  DATABASE_URL,
  type DemoProcess,
  freePort,
  killDemo,
  lazyStore,
  postgresAvailable,
  postgresSchema,
  ROOT,
  requireBuild,
  sqliteDatabase,
  startDemo,
  waitForHealth,
} from './server-harness.js';

requireBuild();
if (!existsSync(join(ROOT, 'dist/node/payments.mjs'))) {
  throw new Error('dist/node/payments.mjs is missing: the demo runs on the built library; run `npm run build`.');
}
const { buildApp } = await import('../../examples/demo/server/app.mjs');
const { loadConfig } = await import('../../examples/demo/server/config.mjs');
const { SHOP_ITEMS } = await import('../../examples/demo/server/shop.mjs');
const { openSqliteStore } = await import('../../examples/demo/server/sqlite-store.mjs');
const { openPostgresStore } = await import('../../examples/demo/server/postgres-store.mjs');

const VK_SECRET = 'vk-secure-key-of-the-shop-test';
const VK_APP_ID = 51234567;
const BUYER = 494075;
const T0 = Date.UTC(2026, 10, 30, 12);

/** How many rows the orders table holds for one VK order id, read with a connection of the test's own. */
type OrderCounter = (vkOrderId: number) => Promise<number>;

const openApps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(openApps.splice(0).map((app) => app.close()));
});

/** The demo listening on a free port of 127.0.0.1 with VK credentials; `notify` POSTs a notification signed with `secret`. */
async function shop(store: UserStore) {
  const config = loadConfig(
    { VK_APP_ID: String(VK_APP_ID), VK_APP_SECRET: VK_SECRET },
    { randomSecret: () => 'unused' },
  );
  const clock = { ms: T0 };
  const app = await buildApp({ config, store, now: () => clock.ms });
  openApps.push(app);
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  const notify = async (fields: Record<string, string | number>, secret = VK_SECRET): Promise<PaymentsReply> => {
    const response = await fetch(`${origin}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: signPaymentNotification(fields, secret),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // The demo's own headers apply here too.
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    return (await response.json()) as PaymentsReply;
  };
  return { notify, clock, origin };
}

const getItem = (item: string, overrides: Record<string, string | number> = {}) => ({
  app_id: VK_APP_ID,
  item,
  lang: 'ru_RU',
  notification_type: 'get_item',
  order_id: 1,
  receiver_id: BUYER,
  user_id: BUYER,
  version: '5.132',
  ...overrides,
});

const paid = (orderId: number, overrides: Record<string, string | number> = {}) => ({
  app_id: VK_APP_ID,
  date: Math.floor(T0 / 1000),
  item: 'golden_badge',
  item_id: 'golden_badge',
  item_price: 3,
  item_title: 'Золотой значок',
  notification_type: 'order_status_change',
  order_id: orderId,
  receiver_id: BUYER,
  status: 'chargeable',
  user_id: BUYER,
  version: '5.132',
  ...overrides,
});

function appOrderId(reply: PaymentsReply, orderId: number): number {
  expect(reply).toEqual({ response: { order_id: orderId, app_order_id: expect.any(Number) } });
  return (reply as { response: { app_order_id: number } }).response.app_order_id;
}

/** The shop on one store. Each test uses VK order ids of its own, so the tests share one database. */
function shopSuite(open: () => Promise<UserStore>, countOrders: () => OrderCounter): void {
  const storeOf = lazyStore(open);

  it('answers get_item for its two items, in the buyer’s language, and error 20 for anything else', async () => {
    const { notify } = await shop(await storeOf());
    expect(Object.keys(SHOP_ITEMS)).toHaveLength(2);
    expect(await notify(getItem('golden_badge'))).toEqual({
      response: { title: 'Золотой значок', price: 3, item_id: 'golden_badge', expiration: 3600 },
    });
    expect(await notify(getItem('sticker_pack', { lang: 'en_US', notification_type: 'get_item_test' }))).toEqual({
      response: { title: 'Sticker pack', price: 10, item_id: 'sticker_pack', expiration: 3600 },
    });
    for (const item of ['diamond', 'constructor', '__proto__', 'toString']) {
      expect(await notify(getItem(item))).toEqual({
        error: { error_code: 20, error_msg: 'No such item.', critical: true },
      });
    }
  });

  it('records a paid order once: a repeated notification gets the same app_order_id', async () => {
    const { notify, clock } = await shop(await storeOf());
    const first = appOrderId(await notify(paid(7001)), 7001);
    clock.ms += 60_000; // VK retries a minute later
    expect(appOrderId(await notify(paid(7001)), 7001)).toBe(first);
    expect(await countOrders()(7001)).toBe(1);
    // Another order gets another id.
    expect(appOrderId(await notify(paid(7002)), 7002)).not.toBe(first);
  });

  it('gives concurrent repeats of one notification one row and one app_order_id', async () => {
    const { notify } = await shop(await storeOf());
    const replies = await Promise.all(Array.from({ length: 20 }, () => notify(paid(7101))));
    expect(new Set(replies.map((reply) => appOrderId(reply, 7101))).size).toBe(1);
    expect(await countOrders()(7101)).toBe(1);
  });

  it('keeps test-mode orders apart from real ones with the same VK order id', async () => {
    const { notify } = await shop(await storeOf());
    const real = appOrderId(await notify(paid(7201)), 7201);
    const test = appOrderId(await notify(paid(7201, { notification_type: 'order_status_change_test' })), 7201);
    expect(test).not.toBe(real);
    expect(appOrderId(await notify(paid(7201, { notification_type: 'order_status_change_test' })), 7201)).toBe(test);
    expect(await countOrders()(7201)).toBe(2);
  });

  it('a refund keeps the order and its id, and a late retry of the payment does not undo it', async () => {
    const store = await storeOf();
    const { notify } = await shop(store);
    const id = appOrderId(await notify(paid(7301)), 7301);
    expect(appOrderId(await notify(paid(7301, { status: 'refunded' })), 7301)).toBe(id);
    expect(appOrderId(await notify(paid(7301)), 7301)).toBe(id);
    const order = await store.recordOrder({
      vkOrderId: 7301,
      test: false,
      vkUserId: BUYER,
      item: 'golden_badge',
      price: 3,
      status: 'chargeable',
      at: new Date(T0),
    });
    expect(order).toMatchObject({
      id,
      status: 'refunded',
      vkUserId: BUYER,
      item: 'golden_badge',
      price: 3,
      test: false,
    });
  });

  it('answers a forged notification with error 10 and records nothing', async () => {
    const { notify } = await shop(await storeOf());
    expect(await notify(paid(7401), 'not-the-secure-key')).toEqual({
      error: { error_code: 10, error_msg: 'The signature does not match.', critical: true },
    });
    expect(await countOrders()(7401)).toBe(0);
    // Nor is a notification refused for its fields.
    expect(await notify(paid(7402, { order_id: 'seven' }))).toMatchObject({
      error: { error_code: 11, critical: true },
    });
  });
}

describe('the demo shop on SQLite', () => {
  const database = sqliteDatabase();
  afterAll(() => database.remove());
  shopSuite(
    async () => openSqliteStore(database.path),
    () => async (vkOrderId) => {
      const db = new Database(database.path, { readonly: true });
      try {
        return (
          db.prepare('SELECT count(*) AS n FROM demo_orders WHERE vk_order_id = ?').get(vkOrderId) as { n: number }
        ).n;
      } finally {
        db.close();
      }
    },
  );
});

const withPostgres = postgresAvailable('the demo shop on PostgreSQL');

describe.runIf(withPostgres)('the demo shop on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof postgresSchema>> | undefined;
  let schemaError: unknown;
  let reader: pg.Client | undefined;
  beforeAll(async () => {
    schema = await postgresSchema(DATABASE_URL ?? '').catch((error: unknown) => {
      schemaError = error;
      return undefined;
    });
    if (schema !== undefined) {
      reader = new pg.Client({ connectionString: schema.url });
      await reader.connect();
    }
  });
  afterAll(async () => {
    await reader?.end();
    await schema?.drop();
  });
  const urlOf = () => {
    if (schema === undefined) throw schemaError ?? new Error('the PostgreSQL test schema was not created');
    return schema.url;
  };
  shopSuite(
    async () => openPostgresStore(urlOf()),
    () => async (vkOrderId) => {
      urlOf();
      const { rows } = await (reader as pg.Client).query(
        'SELECT count(*)::int AS n FROM demo_orders WHERE vk_order_id = $1',
        [vkOrderId],
      );
      return (rows[0] as { n: number }).n;
    },
  );
});

describe('npm start: the shop of node examples/demo/server/main.mjs', () => {
  let running: DemoProcess | undefined;
  afterEach(() => killDemo(running));

  it('answers VK’s notifications signed with VK_APP_SECRET, and stops cleanly', async () => {
    const database = sqliteDatabase();
    try {
      const port = await freePort();
      running = startDemo({
        PORT: String(port),
        SQLITE_PATH: database.path,
        VK_APP_ID: String(VK_APP_ID),
        VK_APP_SECRET: VK_SECRET,
      });
      const origin = `http://127.0.0.1:${port}`;
      await waitForHealth(running, origin);
      const post = async (body: string) =>
        (await fetch(`${origin}/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }).then((response) => response.json())) as PaymentsReply;
      expect(await post(signPaymentNotification(getItem('golden_badge'), VK_SECRET))).toMatchObject({
        response: { title: 'Золотой значок', price: 3 },
      });
      const order = signPaymentNotification(paid(7501), VK_SECRET);
      const first = await post(order);
      expect(await post(order)).toEqual(first);
      expect(await post(signPaymentNotification(paid(7501), 'forged'))).toMatchObject({ error: { error_code: 10 } });
      running.child.kill('SIGTERM');
      expect((await running.exited).code).toBe(0);
    } finally {
      database.remove();
    }
  });
});

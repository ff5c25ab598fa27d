// The users store on an embedded SQLite file (better-sqlite3), the default.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** @typedef {import('./store.mjs').UserStore} UserStore */
/** @typedef {import('./store.mjs').DemoUser} DemoUser */
/** @typedef {import('./store.mjs').DemoOrder} DemoOrder */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS demo_users (
    id           INTEGER PRIMARY KEY,
    vk_user_id   INTEGER NOT NULL UNIQUE,
    name         TEXT,
    language     TEXT,
    platform     TEXT,
    launch_count INTEGER NOT NULL,
    last_vk_ts   INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
  ) STRICT;

  -- The shop's orders. id is the app_order_id VK gets; one row per VK order (test
  -- orders apart: their ids may repeat real ones), so a repeated notification finds it.
  CREATE TABLE IF NOT EXISTS demo_orders (
    id          INTEGER PRIMARY KEY,
    vk_order_id INTEGER NOT NULL,
    test        INTEGER NOT NULL CHECK (test IN (0, 1)),
    vk_user_id  INTEGER NOT NULL,
    item        TEXT NOT NULL,
    price       INTEGER,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (vk_order_id, test)
  ) STRICT`;

// One statement: the row is created or updated atomically, whoever else writes
// to the file. A later vk_ts is a new launch (see UserStore.upsertOnLaunch).
const UPSERT = `
  INSERT INTO demo_users (vk_user_id, name, language, platform, launch_count, last_vk_ts, created_at, last_seen_at)
  VALUES (@vkUserId, @name, @language, @platform, 1, @launchTs, @seenAt, @seenAt)
  ON CONFLICT (vk_user_id) DO UPDATE SET
    launch_count = launch_count + (excluded.last_vk_ts > last_vk_ts),
    name         = coalesce(excluded.name, name),
    language     = iif(excluded.last_vk_ts >= last_vk_ts, excluded.language, language),
    platform     = iif(excluded.last_vk_ts >= last_vk_ts, excluded.platform, platform),
    last_vk_ts   = max(excluded.last_vk_ts, last_vk_ts),
    last_seen_at = max(excluded.last_seen_at, last_seen_at)
  RETURNING *`;

// One statement: the first notification of an order creates it, a repeated one
// (even concurrent) finds the same row. A refund is never undone by a late retry.
const RECORD_ORDER = `
  INSERT INTO demo_orders (vk_order_id, test, vk_user_id, item, price, status, created_at, updated_at)
  VALUES (@vkOrderId, @test, @vkUserId, @item, @price, @status, @at, @at)
  ON CONFLICT (vk_order_id, test) DO UPDATE SET
    status     = iif(status = 'refunded', status, excluded.status),
    updated_at = max(updated_at, excluded.updated_at)
  RETURNING *`;

/**
 * Opens (and creates, with its folder, if missing) the SQLite file at `path`
 * in WAL mode, so readers never block the writer and several processes may
 * share the file. `':memory:'` gives a throwaway store.
 *
 * @param {string} path
 * @returns {UserStore}
 *
 * @example
 * ```js
 * const store = openSqliteStore('examples/demo/data/demo.sqlite');
 * ```
 */
export function openSqliteStore(path) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
  } catch (error) {
    db.close();
    throw error;
  }
  const upsert = db.prepare(UPSERT);
  const findOne = db.prepare('SELECT * FROM demo_users WHERE vk_user_id = ?');
  const recordOrder = db.prepare(RECORD_ORDER);

  return {
    kind: 'sqlite',
    description: `SQLite ${path}`,
    async upsertOnLaunch(visit) {
      const row = upsert.get({
        vkUserId: visit.vkUserId,
        name: visit.name,
        language: visit.language,
        platform: visit.platform,
        launchTs: visit.launchTs,
        seenAt: visit.seenAt.toISOString(),
      });
      return toUser(/** @type {Row} */ (row));
    },
    async findByVkUserId(vkUserId) {
      const row = findOne.get(vkUserId);
      return row === undefined ? null : toUser(/** @type {Row} */ (row));
    },
    async recordOrder(event) {
      const row = recordOrder.get({
        vkOrderId: event.vkOrderId,
        test: event.test ? 1 : 0,
        vkUserId: event.vkUserId,
        item: event.item,
        price: event.price,
        status: event.status,
        at: event.at.toISOString(),
      });
      return toOrder(/** @type {OrderRow} */ (row));
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

/**
 * @typedef {{ id: number, vk_user_id: number, name: string | null, language: string | null, platform: string | null,
 *   launch_count: number, last_vk_ts: number, created_at: string, last_seen_at: string }} Row
 */

/**
 * @param {Row} row
 * @returns {DemoUser}
 */
function toUser(row) {
  return {
    id: row.id,
    vkUserId: row.vk_user_id,
    name: row.name,
    language: row.language,
    platform: row.platform,
    launchCount: row.launch_count,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}

/**
 * @typedef {{ id: number, vk_order_id: number, test: number, vk_user_id: number, item: string,
 *   price: number | null, status: string, created_at: string, updated_at: string }} OrderRow
 */

/**
 * @param {OrderRow} row
 * @returns {DemoOrder}
 */
function toOrder(row) {
  return {
    id: row.id,
    vkOrderId: row.vk_order_id,
    test: row.test === 1,
    vkUserId: row.vk_user_id,
    item: row.item,
    price: row.price,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

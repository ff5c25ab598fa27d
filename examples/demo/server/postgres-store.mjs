// The users store on PostgreSQL (pg), for several instances behind a load
// balancer. The table goes into the first schema of the connection's
// search_path (`?options=-c%20search_path%3Dmy_schema` in DATABASE_URL picks one).
import pg from 'pg';

/** @typedef {import('./store.mjs').UserStore} UserStore */
/** @typedef {import('./store.mjs').DemoUser} DemoUser */
/** @typedef {import('./store.mjs').DemoOrder} DemoOrder */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS demo_users (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vk_user_id   bigint NOT NULL UNIQUE,
    name         text,
    language     text,
    platform     text,
    launch_count integer NOT NULL,
    last_vk_ts   bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
  )`;

// The shop's orders. id is the app_order_id VK gets; one row per VK order (test
// orders apart: their ids may repeat real ones), so a repeated notification finds it.
const ORDERS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS demo_orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vk_order_id bigint NOT NULL,
    test        boolean NOT NULL,
    vk_user_id  bigint NOT NULL,
    item        text NOT NULL,
    price       integer,
    status      text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (vk_order_id, test)
  )`;

// One statement: ON CONFLICT makes a repeated notification, even concurrent ones,
// find the same row (DO UPDATE, unlike DO NOTHING, returns it). A refund is never
// undone by a late retry.
const RECORD_ORDER = `
  INSERT INTO demo_orders AS o (vk_order_id, test, vk_user_id, item, price, status, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
  ON CONFLICT (vk_order_id, test) DO UPDATE SET
    status     = CASE WHEN o.status = 'refunded' THEN o.status ELSE excluded.status END,
    updated_at = greatest(o.updated_at, excluded.updated_at)
  RETURNING *`;

// Instances starting together would race on CREATE TABLE IF NOT EXISTS (it is
// not atomic in PostgreSQL); a transaction-scoped advisory lock serialises them.
const SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(hashtext('vk-miniapp-auth demo: schema'))";

// One statement: ON CONFLICT makes concurrent first requests for one user
// insert once and update the rest, never two rows. A later vk_ts is a new
// launch (see UserStore.upsertOnLaunch).
const UPSERT = `
  INSERT INTO demo_users AS u (vk_user_id, name, language, platform, launch_count, last_vk_ts, created_at, last_seen_at)
  VALUES ($1, $2, $3, $4, 1, $5, $6, $6)
  ON CONFLICT (vk_user_id) DO UPDATE SET
    launch_count = u.launch_count + CASE WHEN excluded.last_vk_ts > u.last_vk_ts THEN 1 ELSE 0 END,
    name         = coalesce(excluded.name, u.name),
    language     = CASE WHEN excluded.last_vk_ts >= u.last_vk_ts THEN excluded.language ELSE u.language END,
    platform     = CASE WHEN excluded.last_vk_ts >= u.last_vk_ts THEN excluded.platform ELSE u.platform END,
    last_vk_ts   = greatest(excluded.last_vk_ts, u.last_vk_ts),
    last_seen_at = greatest(excluded.last_seen_at, u.last_seen_at)
  RETURNING *`;

/**
 * Connects a pool to the PostgreSQL server at `url` and creates the table if
 * it is missing. Rejects (with the pool closed) if the server cannot be
 * reached or the schema cannot be created.
 *
 * @param {string} url a `postgres://` connection string
 * @param {{ max?: number }} [options] `max`: the pool's size (default 10)
 * @returns {Promise<UserStore>}
 *
 * @example
 * ```js
 * const store = await openPostgresStore(process.env.DATABASE_URL);
 * ```
 */
export async function openPostgresStore(url, { max = 10 } = {}) {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'vk-miniapp-auth-demo' });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  try {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(SCHEMA_LOCK);
      await client.query(SCHEMA);
      await client.query(ORDERS_SCHEMA);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }

  let closed = false;
  const where = new URL(url);
  return {
    kind: 'postgres',
    // Host, port and database only: the URL's password stays out of logs.
    description: `PostgreSQL ${where.hostname || 'localhost'}:${where.port || 5432}${where.pathname}`,
    async upsertOnLaunch(visit) {
      const { rows } = await pool.query(UPSERT, [
        visit.vkUserId,
        visit.name,
        visit.language,
        visit.platform,
        visit.launchTs,
        visit.seenAt,
      ]);
      return toUser(rows[0]);
    },
    async findByVkUserId(vkUserId) {
      const { rows } = await pool.query('SELECT * FROM demo_users WHERE vk_user_id = $1', [vkUserId]);
      return rows.length === 0 ? null : toUser(rows[0]);
    },
    async recordOrder(event) {
      const { rows } = await pool.query(RECORD_ORDER, [
        event.vkOrderId,
        event.test,
        event.vkUserId,
        event.item,
        event.price,
        event.status,
        event.at,
      ]);
      return toOrder(rows[0]);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * pg returns bigint columns as strings (they may exceed 2^53); ids and VK user ids do not.
 *
 * @param {{ id: string, vk_user_id: string, name: string | null, language: string | null, platform: string | null,
 *   launch_count: number, created_at: Date, last_seen_at: Date }} row
 * @returns {DemoUser}
 */
function toUser(row) {
  return {
    id: Number(row.id),
    vkUserId: Number(row.vk_user_id),
    name: row.name,
    language: row.language,
    platform: row.platform,
    launchCount: row.launch_count,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
  };
}

/**
 * @param {{ id: string, vk_order_id: string, test: boolean, vk_user_id: string, item: string, price: number | null,
 *   status: string, created_at: Date, updated_at: Date }} row
 * @returns {DemoOrder}
 */
function toOrder(row) {
  return {
    id: Number(row.id),
    vkOrderId: Number(row.vk_order_id),
    test: row.test,
    vkUserId: Number(row.vk_user_id),
    item: row.item,
    price: row.price,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

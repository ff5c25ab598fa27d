// The users store: one interface, two implementations (SQLite by default,
// PostgreSQL when DATABASE_URL is set). Each implementation is loaded only when
// chosen, so a PostgreSQL deployment never loads the SQLite native module.

/**
 * @typedef {object} DemoUser A user as stored and as `GET /api/me` returns it.
 * @property {number} id The store's own id (what `GET /protected` answers as `user_id`).
 * @property {number} vkUserId VK's user id (`vk_user_id`), unique.
 * @property {string | null} name Known for the dev launcher's fake users; `null` for real VK launches.
 * @property {string | null} language `vk_language` of the latest launch.
 * @property {string | null} platform `vk_platform` of the latest launch.
 * @property {number} launchCount How many launches, not requests: see {@link UserStore.upsertOnLaunch}.
 * @property {string} createdAt When the user was first seen (ISO 8601).
 * @property {string} lastSeenAt When the user last made a request (ISO 8601).
 */

/**
 * @typedef {object} LaunchVisit One verified request, as `resolveUser` hands it to the store.
 * @property {number} vkUserId `vk_user_id`
 * @property {string | null} name The user's name when known (dev mode's fake users), else `null`.
 * @property {string | null} language `vk_language`
 * @property {string | null} platform `vk_platform`
 * @property {number} launchTs `vk_ts` of the launch the request belongs to: it tells launches apart.
 * @property {Date} seenAt When the request came.
 */

/**
 * @typedef {object} DemoOrder An order of the demo's shop, as stored.
 * @property {number} id The shop's own order id: the `app_order_id` VK gets.
 * @property {number} vkOrderId VK's `order_id`; unique together with `test`.
 * @property {boolean} test A test-mode order (`order_status_change_test`): VK's test order ids may repeat real ones.
 * @property {number} vkUserId The buyer (`user_id`).
 * @property {string} item The item the buyer chose (`item`).
 * @property {number | null} price What VK charged, in votes (`item_price`), when sent.
 * @property {string} status `chargeable`, or `refunded` once refunded (a refund is never undone).
 * @property {string} createdAt When the first notification of the order came (ISO 8601).
 * @property {string} updatedAt When the latest one came (ISO 8601).
 */

/**
 * @typedef {object} OrderEvent One verified `order_status_change`, as the shop hands it to the store.
 * @property {number} vkOrderId `order_id`
 * @property {boolean} test `true` for `order_status_change_test`
 * @property {number} vkUserId `user_id`
 * @property {string} item `item`
 * @property {number | null} price `item_price`, when sent
 * @property {string} status `status`
 * @property {Date} at When the notification came.
 */

/**
 * @typedef {object} UserStore Where the demo keeps its users (and its shop's orders).
 * @property {'sqlite' | 'postgres'} kind Which implementation this is.
 * @property {string} description Where the data are, for the start-up banner (never a password).
 * @property {(visit: LaunchVisit) => Promise<DemoUser>} upsertOnLaunch
 *   In one atomic statement: creates the user on first sight (launch count 1), otherwise
 *   records the visit. Launches, not requests, are counted: a mini app calls its API many
 *   times per launch, each with the same signed launch params, so a request counts as a new
 *   launch only when its `vk_ts` is later than the latest launch stored (`last_vk_ts`). Such a
 *   launch also brings the user's current language and platform (and name, when known); every
 *   request moves `lastSeenAt`. An older launch still open in another tab is seen, not counted.
 * @property {(vkUserId: number) => Promise<DemoUser | null>} findByVkUserId The user, or `null`.
 * @property {(event: OrderEvent) => Promise<DemoOrder>} recordOrder
 *   In one atomic statement: creates the order on its first notification, otherwise updates
 *   its status, and returns it. One row per VK `order_id` and `test` (a unique constraint),
 *   so a repeated notification, even two at once, gets the same order and the same `id`:
 *   VK requires the same `app_order_id` for every notification of one order. A refund is kept.
 * @property {() => Promise<void>} close Releases the database; safe to call twice.
 */

/**
 * Opens the store the configuration names: PostgreSQL for `{ kind: 'postgres', url }`,
 * SQLite for `{ kind: 'sqlite', path }`. The schema is created if missing.
 *
 * @param {import('./config.mjs').DatabaseConfig} database
 * @returns {Promise<UserStore>}
 *
 * @example
 * ```js
 * const store = await openStore({ kind: 'sqlite', path: 'demo.sqlite' });
 * const user = await store.upsertOnLaunch({
 *   vkUserId: 494075, name: null, language: 'ru', platform: 'mobile_web', launchTs: 1764460800, seenAt: new Date(),
 * });
 * await store.close();
 * ```
 */
export async function openStore(database) {
  if (database.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres-store.mjs');
    return openPostgresStore(database.url);
  }
  const { openSqliteStore } = await import('./sqlite-store.mjs');
  return openSqliteStore(database.path);
}

// The demo's shop: two items sold for VK votes, through VK's payment
// notifications (vk-miniapp-auth/payments). VK asks for an item (`get_item`)
// before showing the purchase box, then reports the paid order
// (`order_status_change`); the store records each order once.

/** @typedef {import('./store.mjs').UserStore} UserStore */
/** @typedef {import('vk-miniapp-auth/payments').GetItemAnswer} GetItemAnswer */
/** @typedef {import('vk-miniapp-auth/payments').PaymentsHandlerOptions} PaymentsHandlerOptions */

/**
 * @typedef {object} ShopItem An item of the shop.
 * @property {{ ru: string, en: string }} title Its name in the purchase box (at most 48 characters).
 * @property {number} price Its price in votes.
 */

/**
 * The shop's items, by the name the mini app passes to `VKWebAppShowOrderBox({ type: 'item', item })`.
 *
 * @type {Readonly<Record<string, ShopItem>>}
 */
export const SHOP_ITEMS = Object.freeze({
  golden_badge: { title: { ru: 'Золотой значок', en: 'Golden badge' }, price: 3 },
  sticker_pack: { title: { ru: 'Набор стикеров', en: 'Sticker pack' }, price: 10 },
});

/** Languages that get the Russian title (`lang` of the notification); the others get the English one. */
const RUSSIAN_TITLES = new Set(['ru_RU', 'uk_UA', 'be_BY']);

/**
 * The shop's payments callbacks, for `createPaymentsHandler` or `paymentsFastify`:
 *
 * - `getItem` answers one of {@link SHOP_ITEMS} (`null`, i.e. VK's error 20, for any other
 *   name: `item` comes from the client and is untrusted);
 * - `orderStatusChange` records the order with `store.recordOrder`, keyed by VK's `order_id`
 *   and `test`, and answers the stored order's id as `app_order_id`: a repeated notification
 *   gets the same one, as VK requires.
 *
 * @param {{ store: UserStore, now?: () => number }} options
 * @returns {Pick<PaymentsHandlerOptions, 'getItem' | 'orderStatusChange'>}
 *
 * @example
 * ```js
 * await app.register(paymentsFastify, { secret: config.secret, ...shopPayments({ store }) });
 * ```
 */
export function shopPayments({ store, now = Date.now }) {
  return {
    getItem(notification) {
      // Own keys only: "constructor" or "__proto__" are not items.
      if (!Object.hasOwn(SHOP_ITEMS, notification.item)) return null;
      const item = /** @type {ShopItem} */ (SHOP_ITEMS[notification.item]);
      const russian = RUSSIAN_TITLES.has(notification.lang ?? 'ru_RU');
      return {
        title: russian ? item.title.ru : item.title.en,
        price: item.price,
        item_id: notification.item,
        // Prices do not change while the demo runs: VK may cache the answer for an hour.
        expiration: 3600,
      };
    },
    async orderStatusChange(notification) {
      const order = await store.recordOrder({
        vkOrderId: notification.order_id,
        test: notification.test,
        vkUserId: notification.user_id,
        item: notification.item ?? notification.item_id ?? '',
        price: notification.item_price ?? null,
        status: notification.status,
        at: new Date(now()),
      });
      return { app_order_id: order.id };
    },
  };
}

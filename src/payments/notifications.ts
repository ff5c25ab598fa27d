import type { OpenUnion } from '../launch-params/types.js';

/**
 * The four notifications VK sends about a purchase, without the `_test`
 * suffix that test mode adds (the suffix sets `test` instead).
 *
 * @example
 * ```ts
 * const kinds: PaymentNotificationType[] = ['get_item', 'order_status_change'];
 * ```
 */
export type PaymentNotificationType =
  | 'get_item'
  | 'get_subscription'
  | 'order_status_change'
  | 'subscription_status_change';

/**
 * The buyer's language in `lang`, as VK documents it; any other value is accepted.
 *
 * @example
 * ```ts
 * const title = notification.lang === 'en_US' ? 'Golden badge' : 'Золотой значок';
 * ```
 */
export type PaymentLanguage = OpenUnion<'ru_RU' | 'uk_UA' | 'be_BY' | 'en_US'>;

/**
 * An order's new `status`: `chargeable` (the user confirmed: deliver the
 * goods) or `refunded` (VK gave the votes back: take them away).
 *
 * @example
 * ```ts
 * if (notification.status === 'refunded') await orders.revoke(notification.order_id);
 * ```
 */
export type OrderStatus = OpenUnion<'chargeable' | 'refunded'>;

/**
 * A subscription's new `status`.
 *
 * @example
 * ```ts
 * const active = notification.status === 'chargeable' || notification.status === 'active';
 * ```
 */
export type SubscriptionStatus = OpenUnion<'chargeable' | 'active' | 'cancelled'>;

/**
 * Why a subscription was cancelled (`cancel_reason`).
 *
 * @example
 * ```ts
 * if (notification.cancel_reason === 'payment_fail') remindToTopUp(notification.user_id);
 * ```
 */
export type SubscriptionCancelReason = OpenUnion<'user_decision' | 'app_decision' | 'payment_fail' | 'unknown'>;

/**
 * What every notification carries. Fields keep VK's names; numbers are
 * numbers. `fields` keeps every field VK sent (but `sig`) as decoded text,
 * including those this library does not know.
 *
 * @example
 * ```ts
 * const common: PaymentNotificationBase = notification;
 * console.log(common.test ? 'test purchase' : 'real purchase', common.fields.version);
 * ```
 */
export interface PaymentNotificationBase {
  /** `notification_type` as VK sent it, `_test` suffix included. */
  notification_type: string;
  /**
   * `true` in test mode (a `_test` notification): no votes move. VK's
   * `order_id`s in test mode may repeat real ones, so keep test orders apart.
   */
  test: boolean;
  /** The app the purchase is made in. */
  app_id: number;
  /** The user who made the order. */
  user_id: number;
  /** The notification format's version (`version`, sent from 5.132 on). */
  version?: string;
  /** Every field as VK sent it, decoded, except `sig`. */
  fields: Readonly<Record<string, string>>;
}

/**
 * `get_item`: the purchase box is about to open; answer with the item's
 * title and price ({@link GetItemAnswer}), or `null` when there is no such item.
 * `item` comes from the client (`VKWebAppShowOrderBox`): treat it as untrusted.
 *
 * @example
 * ```ts
 * const getItem = (n: GetItemNotification) => catalog.get(n.item) ?? null;
 * ```
 */
export interface GetItemNotification extends PaymentNotificationBase {
  /** The kind of notification, without `_test`. */
  type: 'get_item';
  /** The item the client asked for: untrusted. */
  item: string;
  /** VK's order id. */
  order_id?: number;
  /** Who receives the item (the buyer, today). */
  receiver_id?: number;
  /** The buyer's language. */
  lang?: PaymentLanguage;
}

/**
 * `get_subscription`: the subscription box is about to open; answer with its
 * title, price and period ({@link GetSubscriptionAnswer}), or `null` when
 * there is no such subscription. `item` is untrusted, as for `get_item`.
 *
 * @example
 * ```ts
 * const getSubscription = (n: GetSubscriptionNotification) =>
 *   n.item === 'premium' ? { title: 'Premium', price: 10, period: 30 } : null;
 * ```
 */
export interface GetSubscriptionNotification extends PaymentNotificationBase {
  /** The kind of notification, without `_test`. */
  type: 'get_subscription';
  /** The subscription the client asked for: untrusted. */
  item: string;
  /** VK's order id. */
  order_id?: number;
  /** Who receives the subscription (the buyer, today). */
  receiver_id?: number;
  /** The buyer's language. */
  lang?: PaymentLanguage;
}

/**
 * `order_status_change`: the user paid (`chargeable`: deliver the item) or
 * VK refunded the order (`refunded`). VK may send the same notification
 * again; the answer must then be the same, `app_order_id` included (see
 * {@link OrderStatusChangeAnswer}).
 *
 * @example
 * ```ts
 * const orderStatusChange = async (n: OrderStatusChangeNotification) =>
 *   ({ app_order_id: await orders.record(n.order_id, n.test, n.user_id, n.item) });
 * ```
 */
export interface OrderStatusChangeNotification extends PaymentNotificationBase {
  /** The kind of notification, without `_test`. */
  type: 'order_status_change';
  /** VK's order id: the key that makes the handling idempotent (with `test`). */
  order_id: number;
  /** The order's new status. */
  status: OrderStatus;
  /** When the order was created, Unix seconds. */
  date?: number;
  /** Who receives the item (the buyer, today). */
  receiver_id?: number;
  /** The item as the client named it. */
  item?: string;
  /** The `item_id` the app answered to `get_item`. */
  item_id?: string;
  /** The title the app answered to `get_item`. */
  item_title?: string;
  /** The photo the app answered to `get_item`. */
  item_photo_url?: string;
  /** The price charged, in votes. */
  item_price?: number;
  /** The discount the app answered to `get_item`, in votes. */
  item_discount?: number;
}

/**
 * `subscription_status_change`: a subscription was paid, renewed into
 * `active`, or cancelled. A repeated notification (same `subscription_id`
 * and status) must get the same answer.
 *
 * @example
 * ```ts
 * const subscriptionStatusChange = async (n: SubscriptionStatusChangeNotification) =>
 *   ({ app_order_id: await subscriptions.record(n.subscription_id, n.status, n.test) });
 * ```
 */
export interface SubscriptionStatusChangeNotification extends PaymentNotificationBase {
  /** The kind of notification, without `_test`. */
  type: 'subscription_status_change';
  /** VK's subscription id. */
  subscription_id: number;
  /** The subscription's new status. */
  status: SubscriptionStatus;
  /** Why it was cancelled (`status: 'cancelled'`). */
  cancel_reason?: SubscriptionCancelReason;
  /** `true` when the subscription stays active until the end of the paid period. */
  pending_cancel?: boolean;
  /** The next payment, Unix seconds. */
  next_bill_time?: number;
  /** Who receives the subscription (the buyer, today). */
  receiver_id?: number;
  /** The subscription as the client named it. */
  item?: string;
  /** The `item_id` the app answered to `get_subscription`. */
  item_id?: string;
  /** The price, in votes. */
  item_price?: number;
}

/**
 * A correctly signed notification of a type this library does not know
 * (`type: 'unknown'`): VK may add types. Its fields are in `fields`.
 *
 * @example
 * ```ts
 * if (notification.type === 'unknown') log.warn('new VK notification type', notification.notification_type);
 * ```
 */
export interface UnknownPaymentNotification extends Omit<PaymentNotificationBase, 'app_id' | 'user_id'> {
  /** Not one of the four types this library knows; see `notification_type`. */
  type: 'unknown';
  /** The app, when sent as a positive integer. */
  app_id?: number;
  /** The user, when sent as a positive integer. */
  user_id?: number;
}

/**
 * A verified payment notification, discriminated by `type`.
 *
 * @example
 * ```ts
 * const notification: PaymentNotification = verifyPaymentNotification(body, secret);
 * if (notification.type === 'order_status_change') console.log(notification.order_id);
 * ```
 */
export type PaymentNotification =
  | GetItemNotification
  | GetSubscriptionNotification
  | OrderStatusChangeNotification
  | SubscriptionStatusChangeNotification
  | UnknownPaymentNotification;

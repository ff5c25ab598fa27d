import type { PAYMENTS_ERROR_CODES } from './errors.js';
import type { OrderStatusChangeNotification, SubscriptionStatusChangeNotification } from './notifications.js';

/**
 * The answer to `get_item`: what the purchase box shows.
 *
 * @example
 * ```ts
 * const badge: GetItemAnswer = { title: 'Golden badge', price: 3, item_id: 'badge', expiration: 3600 };
 * ```
 */
export interface GetItemAnswer {
  /** The item's name, 1 to 48 characters. */
  title: string;
  /** The price in votes: a positive integer. */
  price: number;
  /** An absolute `http(s)` URL of the item's picture. */
  photo_url?: string;
  /** A discount in votes: a positive integer below `price`. */
  discount?: number;
  /** The app's own id of the item; VK sends it back in `order_status_change`. */
  item_id?: string | number;
  /** How long VK may cache this answer, in seconds: 600 to 604800, or 0 for no caching. */
  expiration?: number;
}

/**
 * The answer to `get_subscription`: what the subscription box shows.
 *
 * @example
 * ```ts
 * const premium: GetSubscriptionAnswer = { title: 'Premium', price: 10, period: 30, item_id: 'premium' };
 * ```
 */
export interface GetSubscriptionAnswer {
  /** The subscription's name, 1 to 48 characters. */
  title: string;
  /** The price per period in votes: a positive integer. */
  price: number;
  /** The period in days: 3, 7 or 30. */
  period: 3 | 7 | 30;
  /** A free trial in days: 3, 7 or 30. */
  trial_duration?: 3 | 7 | 30;
  /** An absolute `http(s)` URL of the subscription's picture. */
  photo_url?: string;
  /** The app's own id of the subscription. */
  item_id?: string | number;
  /** How long VK may cache this answer, in seconds: 600 to 604800, or 0 for no caching. */
  expiration?: number;
}

/**
 * The answer to `order_status_change`. `app_order_id` is the app's own
 * order id, unique per order: a repeated notification for the same
 * `order_id` (VK retries when an answer is lost) must get the same one, so
 * store orders by VK's `order_id` (and `test`) and answer the stored id.
 * `order_id` is filled in from the notification (given, it must match).
 *
 * @example
 * ```ts
 * const answer: OrderStatusChangeAnswer = { app_order_id: 1042 };
 * ```
 */
export interface OrderStatusChangeAnswer {
  /** The app's order id: a positive integer, the same for every notification of one order. */
  app_order_id: number;
  /** VK's order id; defaults to the notification's. */
  order_id?: number;
}

/**
 * The answer to `subscription_status_change`. As for orders, a repeated
 * notification must get the same answer. `subscription_id` is filled in from
 * the notification (given, it must match).
 *
 * @example
 * ```ts
 * const answer: SubscriptionStatusChangeAnswer = { app_order_id: 77 };
 * ```
 */
export interface SubscriptionStatusChangeAnswer {
  /** The app's id for this subscription event: a positive integer. */
  app_order_id?: number;
  /** VK's subscription id; defaults to the notification's. */
  subscription_id?: number;
}

/**
 * A successful answer to VK: the checked answer of the callback, with
 * `order_id` or `subscription_id` filled in for status changes.
 *
 * @example
 * ```ts
 * const ok: PaymentsResponseReply = { response: { order_id: 2044861, app_order_id: 1042 } };
 * ```
 */
export interface PaymentsResponseReply {
  /** The fields VK reads, by VK's names. */
  response: Readonly<Record<string, string | number>>;
}

/**
 * An error answer to VK.
 *
 * @example
 * ```ts
 * const no: PaymentsErrorReply = { error: { error_code: 20, error_msg: 'No such item.', critical: true } };
 * ```
 */
export interface PaymentsErrorReply {
  /** What went wrong. */
  error: {
    /** One of {@link PAYMENTS_ERROR_CODES}, or the app's own (100 to 999). */
    error_code: number;
    /** A short text; never an exception's message, which may hold internals. */
    error_msg: string;
    /** `true`: VK cancels the order and does not retry; `false`: VK sends the notification again later. */
    critical: boolean;
  };
}

/**
 * The JSON a payments handler answers VK with, in an HTTP 200: a `response`,
 * or an `error`.
 *
 * @example
 * ```ts
 * const reply: PaymentsReply = await payments.reply(body);
 * if ('error' in reply) console.warn('VK got error', reply.error.error_code);
 * ```
 */
export type PaymentsReply = PaymentsResponseReply | PaymentsErrorReply;

/** The longest `title` VK shows, in characters. */
export const MAX_TITLE_LENGTH = 48;
const PERIODS: ReadonlySet<unknown> = new Set([3, 7, 30]);
const MIN_EXPIRATION = 600;
const MAX_EXPIRATION = 604_800;

type Answer = Record<string, string | number>;

/** Checks a `getItem` answer, throwing a `TypeError` that says what is wrong. */
export function checkGetItemAnswer(value: unknown): Answer {
  const answer = fieldsOf(value, 'getItem', ['title', 'price', 'photo_url', 'discount', 'item_id', 'expiration']);
  return checkShopAnswer(answer, 'getItem');
}

/** Checks a `getSubscription` answer, throwing a `TypeError` that says what is wrong. */
export function checkGetSubscriptionAnswer(value: unknown): Answer {
  const answer = fieldsOf(value, 'getSubscription', [
    'title',
    'price',
    'period',
    'trial_duration',
    'photo_url',
    'item_id',
    'expiration',
  ]);
  if (!PERIODS.has(answer.period)) bad('getSubscription', 'period', 'must be 3, 7 or 30 (days)');
  if (answer.trial_duration !== undefined && !PERIODS.has(answer.trial_duration)) {
    bad('getSubscription', 'trial_duration', 'must be 3, 7 or 30 (days)');
  }
  return checkShopAnswer(answer, 'getSubscription');
}

/** Checks an `orderStatusChange` answer and fills in `order_id`. */
export function checkOrderStatusChangeAnswer(value: unknown, notification: OrderStatusChangeNotification): Answer {
  const answer = fieldsOf(value, 'orderStatusChange', ['app_order_id', 'order_id']);
  if (!isPositiveInteger(answer.app_order_id)) {
    bad('orderStatusChange', 'app_order_id', "must be the app's order id, a positive integer");
  }
  if (answer.order_id !== undefined && answer.order_id !== notification.order_id) {
    bad('orderStatusChange', 'order_id', `must be the notification's (${notification.order_id}), or left out`);
  }
  return { order_id: notification.order_id, app_order_id: answer.app_order_id as number };
}

/** Checks a `subscriptionStatusChange` answer and fills in `subscription_id`. */
export function checkSubscriptionStatusChangeAnswer(
  value: unknown,
  notification: SubscriptionStatusChangeNotification,
): Answer {
  const answer = fieldsOf(value, 'subscriptionStatusChange', ['app_order_id', 'subscription_id']);
  if (answer.app_order_id !== undefined && !isPositiveInteger(answer.app_order_id)) {
    bad('subscriptionStatusChange', 'app_order_id', 'must be a positive integer, or left out');
  }
  if (answer.subscription_id !== undefined && answer.subscription_id !== notification.subscription_id) {
    bad(
      'subscriptionStatusChange',
      'subscription_id',
      `must be the notification's (${notification.subscription_id}), or left out`,
    );
  }
  const checked: Answer = { subscription_id: notification.subscription_id };
  if (answer.app_order_id !== undefined) checked.app_order_id = answer.app_order_id as number;
  return checked;
}

/** What `get_item` and `get_subscription` answers share: title, price, photo, discount, ids, caching. */
function checkShopAnswer(answer: Record<string, unknown>, callback: string): Answer {
  const { title, price, photo_url, discount, item_id, expiration } = answer;
  if (typeof title !== 'string' || title.trim() === '') bad(callback, 'title', 'must be a non-empty string');
  const length = [...title].length;
  if (length > MAX_TITLE_LENGTH) {
    bad(callback, 'title', `is ${length} characters long; VK allows at most ${MAX_TITLE_LENGTH}`);
  }
  if (!isPositiveInteger(price)) bad(callback, 'price', 'must be a positive integer number of votes');
  if (photo_url !== undefined && !isHttpUrl(photo_url)) bad(callback, 'photo_url', 'must be an absolute http(s) URL');
  if (discount !== undefined && !(isPositiveInteger(discount) && discount < price)) {
    bad(callback, 'discount', 'must be a positive integer number of votes, below the price');
  }
  if (item_id !== undefined && !((typeof item_id === 'string' && item_id !== '') || isPositiveInteger(item_id))) {
    bad(callback, 'item_id', 'must be a non-empty string or a positive integer');
  }
  if (
    expiration !== undefined &&
    !(
      expiration === 0 ||
      (Number.isInteger(expiration) &&
        (expiration as number) >= MIN_EXPIRATION &&
        (expiration as number) <= MAX_EXPIRATION)
    )
  ) {
    bad(callback, 'expiration', `must be 0 (no caching) or ${MIN_EXPIRATION} to ${MAX_EXPIRATION} seconds`);
  }
  const checked: Answer = {};
  for (const [key, value] of Object.entries(answer)) if (value !== undefined) checked[key] = value as string | number;
  return checked;
}

/** The answer's own fields, refusing anything but a plain object of known keys. */
function fieldsOf(value: unknown, callback: string, known: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`vk-miniapp-auth/payments: ${callback} must answer an object; it answered ${describe(value)}.`);
  }
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new TypeError(
      `vk-miniapp-auth/payments: ${callback} answered unknown fields (${unknown.join(', ')}); VK's are ${known.join(', ')}.`,
    );
  }
  return value as Record<string, unknown>;
}

function bad(callback: string, field: string, rule: string): never {
  throw new TypeError(`vk-miniapp-auth/payments: the ${field} that ${callback} answered ${rule}.`);
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a value of type ${typeof value}`;
}

import { VkAuthError } from '../errors.js';
import { compileWhenConfigured } from '../missing-option.js';
import type { SecretOption } from '../options.js';
import {
  checkGetItemAnswer,
  checkGetSubscriptionAnswer,
  checkOrderStatusChangeAnswer,
  checkSubscriptionStatusChangeAnswer,
  type GetItemAnswer,
  type GetSubscriptionAnswer,
  type OrderStatusChangeAnswer,
  type PaymentsReply,
  type SubscriptionStatusChangeAnswer,
} from './answers.js';
import { readRequestBody } from './body.js';
import { PAYMENTS_ERROR_CODES, PaymentsError, standardMessage } from './errors.js';
import type { PaymentFormInput } from './form.js';
import type {
  GetItemNotification,
  GetSubscriptionNotification,
  OrderStatusChangeNotification,
  PaymentNotification,
  SubscriptionStatusChangeNotification,
} from './notifications.js';
import { compileSecrets, verifyWithSecrets } from './verify.js';

/**
 * What a payments handler does with each notification. Every callback may be
 * async and may throw {@link PaymentsError} to answer VK an error of its
 * choice; anything else it throws is answered with error 2 (temporary: VK
 * retries), reported to `onError`, and never shown to VK.
 *
 * Give `getItem` with `orderStatusChange` (selling items), `getSubscription`
 * with `subscriptionStatusChange` (selling subscriptions), or all four.
 *
 * @example
 * ```ts
 * const options: PaymentsHandlerOptions = {
 *   secret: process.env.VK_APP_SECRET!,
 *   getItem: (n) => (n.item === 'badge' ? { title: 'Golden badge', price: 3 } : null),
 *   orderStatusChange: async (n) => ({ app_order_id: await orders.record(n) }),
 *   onError: (error, n) => log.error({ err: error, order: n.fields.order_id }, 'payments callback failed'),
 * };
 * ```
 */
export interface PaymentsHandlerOptions {
  /**
   * The app's Secure key ("Защищённый ключ"), which VK signs notifications
   * with: one, several (key rotation), or `{ [appId]: key }`. Never logged.
   */
  secret: SecretOption;
  /**
   * `get_item`: the item to show in the purchase box, or `null` when there is
   * no such item (answered as error 20). `notification.item` is untrusted.
   */
  getItem?: (notification: GetItemNotification) => GetItemAnswer | null | Promise<GetItemAnswer | null>;
  /**
   * `order_status_change`: record the order (and deliver on `chargeable`,
   * revoke on `refunded`), answering the app's order id. Must be idempotent:
   * a repeated notification for the same `order_id` and `test` must get the
   * same `app_order_id`.
   */
  orderStatusChange?: (
    notification: OrderStatusChangeNotification,
  ) => OrderStatusChangeAnswer | Promise<OrderStatusChangeAnswer>;
  /** `get_subscription`: the subscription to show, or `null` when there is none (error 20). */
  getSubscription?: (
    notification: GetSubscriptionNotification,
  ) => GetSubscriptionAnswer | null | Promise<GetSubscriptionAnswer | null>;
  /** `subscription_status_change`: record the change; idempotent like `orderStatusChange`. */
  subscriptionStatusChange?: (
    notification: SubscriptionStatusChangeNotification,
  ) => SubscriptionStatusChangeAnswer | Promise<SubscriptionStatusChangeAnswer>;
  /**
   * Called with what a callback threw (other than a `PaymentsError`), or with
   * the `TypeError` describing an answer VK would not accept (answered as error
   * 1). Default: `console.error`. Whatever it throws is ignored.
   */
  onError?: (error: unknown, notification: PaymentNotification) => void;
}

/**
 * A Web-standard payments endpoint, `(request) => Promise<Response>`, plus
 * {@link PaymentsHandler.reply | reply} for mounts that have the form already.
 *
 * @example
 * ```ts
 * const payments: PaymentsHandler = createPaymentsHandler(options);
 * export const POST = payments; // Next.js route handler
 * ```
 */
export interface PaymentsHandler {
  /** Answers one notification: always HTTP 200 with VK's JSON, except 405 for a method other than POST. */
  (request: Request): Promise<Response>;
  /**
   * The JSON answer to one notification, given its form body or fields (see
   * {@link PaymentFormInput}). Never rejects.
   *
   * @example
   * ```ts
   * const reply = await payments.reply(await request.text());
   * ```
   */
  reply(form: PaymentFormInput): Promise<PaymentsReply>;
}

/**
 * Creates VK's payment-notification endpoint: it reads the form body, checks
 * `sig` (constant time), dispatches on `notification_type` (`_test` variants
 * included, with `test: true`), checks what the callback answers, and writes
 * VK's JSON: `{"response": …}`, or `{"error": {"error_code", "error_msg", "critical"}}`
 * with 10 for a bad signature, 11 for malformed fields, 20 when `getItem` /
 * `getSubscription` returns `null`, the code of a thrown {@link PaymentsError},
 * 1 for an answer VK would not accept or a notification type without a
 * callback, and 2 (not critical) when a callback fails unexpectedly.
 *
 * Runs as is wherever `Request`/`Response` are native: Hono
 * (`app.post('/payments', (c) => payments(c.req.raw))`), Next.js
 * (`export const POST = payments`), Cloudflare Workers, Deno, Bun. For
 * Express and Fastify see {@link paymentsExpress} and {@link paymentsFastify}.
 *
 * A misconfiguration (no secret, callbacks missing) throws a `TypeError` here,
 * at start-up.
 *
 * @example
 * ```ts
 * import { createPaymentsHandler, PaymentsError } from 'vk-miniapp-auth/payments';
 *
 * const ITEMS = { badge: { title: 'Golden badge', price: 3 } };
 *
 * export const payments = createPaymentsHandler({
 *   secret: process.env.VK_APP_SECRET!,
 *   getItem: (n) => ITEMS[n.item as keyof typeof ITEMS] ?? null,
 *   orderStatusChange: async (n) => {
 *     // One row per (order_id, test), created once: a repeated notification gets the same id.
 *     const order = await db.orders.upsert({ vkOrderId: n.order_id, test: n.test, userId: n.user_id, item: n.item });
 *     return { app_order_id: order.id };
 *   },
 * });
 *
 * // Hono: app.post('/payments', (c) => payments(c.req.raw));
 * ```
 */
export function createPaymentsHandler(options: PaymentsHandlerOptions): PaymentsHandler {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('vk-miniapp-auth/payments: options are required, at least { secret } and callbacks.');
  }
  // A secret with no value waits for the first notification (see compileWhenConfigured), which then fails with a 500.
  const configuredSecrets = compileWhenConfigured(() => compileSecrets(options.secret));
  const callbacks = readCallbacks(options);
  const onError = options.onError ?? defaultOnError;
  if (typeof onError !== 'function') throw new TypeError('vk-miniapp-auth/payments: onError must be a function.');

  const reply = async (form: PaymentFormInput): Promise<PaymentsReply> => {
    const secretsFor = configuredSecrets();
    let notification: PaymentNotification;
    try {
      notification = verifyWithSecrets(form, secretsFor);
    } catch (error) {
      return refusal(error);
    }
    return dispatch(notification, callbacks, (error) => report(onError, error, notification));
  };

  const handler = async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return json(notPostReply(), 405, { allow: 'POST' });
    let body: Uint8Array;
    try {
      body = await readRequestBody(request);
    } catch (error) {
      return json(refusal(error));
    }
    return json(await reply(body));
  };
  return Object.assign(handler, { reply });
}

type Callbacks = Required<
  Pick<PaymentsHandlerOptions, 'getItem' | 'orderStatusChange' | 'getSubscription' | 'subscriptionStatusChange'>
>;

function readCallbacks(options: PaymentsHandlerOptions): Partial<Callbacks> {
  const names = ['getItem', 'orderStatusChange', 'getSubscription', 'subscriptionStatusChange'] as const;
  for (const name of names) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new TypeError(`vk-miniapp-auth/payments: ${name} must be a function.`);
    }
  }
  const { getItem, orderStatusChange, getSubscription, subscriptionStatusChange } = options;
  if ((getItem === undefined) !== (orderStatusChange === undefined)) {
    throw new TypeError(
      'vk-miniapp-auth/payments: give getItem and orderStatusChange together (an item sold must be recorded).',
    );
  }
  if ((getSubscription === undefined) !== (subscriptionStatusChange === undefined)) {
    throw new TypeError(
      'vk-miniapp-auth/payments: give getSubscription and subscriptionStatusChange together (a subscription sold must be recorded).',
    );
  }
  if (getItem === undefined && getSubscription === undefined) {
    throw new TypeError(
      'vk-miniapp-auth/payments: give getItem and orderStatusChange, getSubscription and subscriptionStatusChange, or all four.',
    );
  }
  return { getItem, orderStatusChange, getSubscription, subscriptionStatusChange };
}

async function dispatch(
  notification: PaymentNotification,
  callbacks: Partial<Callbacks>,
  report: (error: unknown) => void,
): Promise<PaymentsReply> {
  // Whatever the callback does, VK gets an answer: its value, its PaymentsError, or error 2.
  let stage: 'callback' | 'answer' = 'callback';
  try {
    switch (notification.type) {
      case 'get_item': {
        if (callbacks.getItem === undefined) return unhandled(notification);
        const answer = await callbacks.getItem(notification);
        if (answer === null) return errorReply(PAYMENTS_ERROR_CODES.NO_SUCH_ITEM, 'No such item.', true);
        stage = 'answer';
        return { response: checkGetItemAnswer(answer) };
      }
      case 'get_subscription': {
        if (callbacks.getSubscription === undefined) return unhandled(notification);
        const answer = await callbacks.getSubscription(notification);
        if (answer === null) return errorReply(PAYMENTS_ERROR_CODES.NO_SUCH_ITEM, 'No such subscription.', true);
        stage = 'answer';
        return { response: checkGetSubscriptionAnswer(answer) };
      }
      case 'order_status_change': {
        if (callbacks.orderStatusChange === undefined) return unhandled(notification);
        const answer = await callbacks.orderStatusChange(notification);
        stage = 'answer';
        return { response: checkOrderStatusChangeAnswer(answer, notification) };
      }
      case 'subscription_status_change': {
        if (callbacks.subscriptionStatusChange === undefined) return unhandled(notification);
        const answer = await callbacks.subscriptionStatusChange(notification);
        stage = 'answer';
        return { response: checkSubscriptionStatusChangeAnswer(answer, notification) };
      }
      default:
        return unhandled(notification);
    }
  } catch (error) {
    if (stage === 'callback' && PaymentsError.is(error)) {
      return errorReply(error.code, error.message, error.critical);
    }
    report(error);
    if (stage === 'answer') {
      // A lookup answered wrongly fails the same way on a retry; a status change may already be
      // recorded, so VK should retry once the app is fixed.
      const lookup = notification.type === 'get_item' || notification.type === 'get_subscription';
      return errorReply(PAYMENTS_ERROR_CODES.GENERAL, standardMessage(PAYMENTS_ERROR_CODES.GENERAL), lookup);
    }
    return errorReply(PAYMENTS_ERROR_CODES.TEMPORARY, standardMessage(PAYMENTS_ERROR_CODES.TEMPORARY), false);
  }
}

/** The answer to a notification that did not verify: 10 for the signature, 11 for the fields. */
export function refusal(error: unknown): PaymentsReply {
  if (!VkAuthError.is(error)) {
    // Not reachable from VK's input; kept so that no body ever turns into a 500.
    return errorReply(PAYMENTS_ERROR_CODES.TEMPORARY, standardMessage(PAYMENTS_ERROR_CODES.TEMPORARY), false);
  }
  if (error.code === 'SIGN_MISSING' || error.code === 'SIGN_INVALID' || error.code === 'UNKNOWN_APP') {
    return errorReply(PAYMENTS_ERROR_CODES.BAD_SIGNATURE, standardMessage(PAYMENTS_ERROR_CODES.BAD_SIGNATURE), true);
  }
  return errorReply(PAYMENTS_ERROR_CODES.BAD_PARAMETERS, error.message, true);
}

function unhandled(notification: PaymentNotification): PaymentsReply {
  const type = notification.notification_type.replace(/[^a-z0-9_]/gi, '?').slice(0, 64);
  return errorReply(
    PAYMENTS_ERROR_CODES.GENERAL,
    `This server does not handle ${type === '' ? 'untyped' : type} notifications.`,
    true,
  );
}

/** The body of the 405 a request other than a POST gets (VK only posts). */
export function notPostReply(): PaymentsReply {
  return errorReply(PAYMENTS_ERROR_CODES.BAD_PARAMETERS, 'VK posts payment notifications: use POST.', true);
}

function errorReply(code: number, message: string, critical: boolean): PaymentsReply {
  return { error: { error_code: code, error_msg: message, critical } };
}

function report(
  onError: NonNullable<PaymentsHandlerOptions['onError']>,
  error: unknown,
  notification: PaymentNotification,
) {
  try {
    onError(error, notification);
  } catch {
    // A failing logger must not change VK's answer.
  }
}

function defaultOnError(error: unknown): void {
  console.error('vk-miniapp-auth/payments: a payments callback failed; VK was answered with an error.', error);
}

/** VK reads JSON in UTF-8 from an HTTP 200 answer. */
/** The headers of every answer to VK, whichever way it is sent. */
export const REPLY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

export function json(reply: PaymentsReply, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(reply), { status, headers: { ...REPLY_HEADERS, ...headers } });
}

/**
 * VK payment notifications (votes): verify their MD5 `sig`, and answer them
 * in VK's format from a Web-standard handler (Hono, Next.js, Workers, Deno,
 * Bun) or the Express and Fastify mounts.
 *
 * Refusals of {@link verifyPaymentNotification} are the root entry's
 * `VkAuthError`; callbacks answer VK an error by throwing {@link PaymentsError}.
 *
 * @example
 * ```ts
 * import { createPaymentsHandler } from 'vk-miniapp-auth/payments';
 *
 * const payments = createPaymentsHandler({
 *   secret: process.env.VK_APP_SECRET!,
 *   getItem: (n) => (n.item === 'badge' ? { title: 'Golden badge', price: 3 } : null),
 *   orderStatusChange: async (n) => ({ app_order_id: await orders.recordOnce(n.order_id, n.test, n.user_id) }),
 * });
 * export const POST = payments; // a Next.js route handler, or app.post('/payments', (c) => payments(c.req.raw)) in Hono
 * ```
 *
 * @module vk-miniapp-auth/payments
 */
export {
  type NodePaymentsHandler,
  type NodeRequestLike,
  type NodeResponseLike,
  paymentsExpress,
} from './adapters/express/payments.js';
export {
  type FastifyInstanceLike,
  type FastifyReplyLike,
  type PaymentsFastifyOptions,
  paymentsFastify,
} from './adapters/fastify/payments.js';
export {
  type GetItemAnswer,
  type GetSubscriptionAnswer,
  MAX_TITLE_LENGTH,
  type OrderStatusChangeAnswer,
  type PaymentsErrorReply,
  type PaymentsReply,
  type PaymentsResponseReply,
  type SubscriptionStatusChangeAnswer,
} from './payments/answers.js';
export { PAYMENTS_ERROR_CODES, PaymentsError } from './payments/errors.js';
export { MAX_NOTIFICATION_LENGTH, type PaymentFormInput } from './payments/form.js';
export { createPaymentsHandler, type PaymentsHandler, type PaymentsHandlerOptions } from './payments/handler.js';
export type {
  GetItemNotification,
  GetSubscriptionNotification,
  OrderStatus,
  OrderStatusChangeNotification,
  PaymentLanguage,
  PaymentNotification,
  PaymentNotificationBase,
  PaymentNotificationType,
  SubscriptionCancelReason,
  SubscriptionStatus,
  SubscriptionStatusChangeNotification,
  UnknownPaymentNotification,
} from './payments/notifications.js';
export { signPaymentNotification } from './payments/sign.js';
export { verifyPaymentNotification } from './payments/verify.js';

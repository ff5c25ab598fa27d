import { readForm } from './form.js';
import { computeSig } from './sig.js';

/**
 * Signs payment-notification fields the way VK does and returns the form
 * body, ready to POST: the fields in the order given, then `sig`. For tests
 * and local development: VK signs the real ones. A `sig` among the fields
 * is replaced.
 *
 * @param fields Field names to values; numbers are written as decimal text.
 * @param secret The Secure key to sign with.
 *
 * @example
 * ```ts
 * import { signPaymentNotification } from 'vk-miniapp-auth/payments';
 *
 * const body = signPaymentNotification(
 *   { notification_type: 'get_item_test', app_id: 6736218, user_id: 494075, order_id: 1, item: 'badge', lang: 'ru_RU' },
 *   'secure-key',
 * );
 * await fetch('http://localhost:3000/payments', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/x-www-form-urlencoded' },
 *   body,
 * });
 * ```
 */
export function signPaymentNotification(fields: Readonly<Record<string, string | number>>, secret: string): string {
  if (typeof secret !== 'string' || secret === '') {
    throw new TypeError('vk-miniapp-auth: signPaymentNotification needs the secret, a non-empty string.');
  }
  const { sig: _replaced, ...unsigned } = fields;
  const pairs = readForm(unsigned);
  const body = new URLSearchParams();
  for (const { key, value } of pairs) body.append(key, value);
  body.append('sig', computeSig(pairs, secret));
  return body.toString();
}

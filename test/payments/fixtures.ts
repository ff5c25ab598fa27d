// Notifications as VK sends them (field sets from dev.vk.com's examples), signed
// with the test's secret by the library's signer; tests check that signer
// against the shared vectors and an independent MD5 first.
import { createHash } from 'node:crypto';
import { signPaymentNotification } from '../../src/payments.js';

export const SECRET = 'payments-secret-of-the-tests';
export const APP_ID = 6736218;
export const USER_ID = 494075;

type Fields = Record<string, string | number>;

/** `get_item` (or `get_item_test`) for `item`. */
export function getItem(overrides: Fields = {}): Fields {
  return {
    app_id: APP_ID,
    item: 'badge',
    lang: 'ru_RU',
    notification_type: 'get_item',
    order_id: 2044594,
    receiver_id: USER_ID,
    user_id: USER_ID,
    version: '5.132',
    ...overrides,
  };
}

/** `order_status_change` for a paid `badge`. */
export function orderStatusChange(overrides: Fields = {}): Fields {
  return {
    app_id: APP_ID,
    date: 1656358147,
    item: 'badge',
    item_discount: 0,
    item_id: 'badge-internal',
    item_photo_url: 'https://my-app.example.com/badge.png',
    item_price: 3,
    item_title: 'Золотой значок',
    notification_type: 'order_status_change',
    order_id: 2044861,
    receiver_id: USER_ID,
    status: 'chargeable',
    user_id: USER_ID,
    version: '5.132',
    ...overrides,
  };
}

/** `get_subscription` for `premium`. */
export function getSubscription(overrides: Fields = {}): Fields {
  return { ...getItem({ notification_type: 'get_subscription', item: 'premium', order_id: 104659 }), ...overrides };
}

/** `subscription_status_change` for an active `premium`. */
export function subscriptionStatusChange(overrides: Fields = {}): Fields {
  return {
    app_id: APP_ID,
    cancel_reason: '',
    item_id: 'premium',
    item_price: 10,
    next_bill_time: 1767225600,
    notification_type: 'subscription_status_change',
    pending_cancel: 0,
    status: 'chargeable',
    subscription_id: 31337,
    user_id: USER_ID,
    ...overrides,
  };
}

/** The form body of `fields` signed with `secret`. */
export function signed(fields: Fields, secret = SECRET): string {
  return signPaymentNotification(fields, secret);
}

/** VK's sig computed here from scratch (node:crypto MD5), for cross-checks. */
export function independentSig(fields: Record<string, string>, secret: string): string {
  const keys = Object.keys(fields)
    .filter((key) => key !== 'sig')
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const message = keys.map((key) => `${key}=${fields[key]}`).join('') + secret;
  return createHash('md5').update(message, 'utf8').digest('hex');
}

/** A POST of a form body, as VK sends it. */
export function post(body: string, url = 'http://localhost/payments'): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

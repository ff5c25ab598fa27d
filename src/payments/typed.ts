import { fail } from '../errors.js';
import { POSITIVE_ID, parseInteger, parsePositiveId } from '../launch-params/numbers.js';
import type { FormField } from './form.js';
import type { PaymentNotification, PaymentNotificationBase, PaymentNotificationType } from './notifications.js';

const TYPES: ReadonlySet<string> = new Set<PaymentNotificationType>([
  'get_item',
  'get_subscription',
  'order_status_change',
  'subscription_status_change',
]);

const TEST_SUFFIX = '_test';

type Fields = Readonly<Record<string, string>>;

/**
 * The typed notification of verified fields. A known type with a required
 * field missing, or a number that is not one, throws `VkAuthError`
 * (`MALFORMED`): VK answers such a notification with error 11. An optional
 * field sent empty counts as absent.
 */
export function toNotification(formFields: readonly FormField[]): PaymentNotification {
  const fields: Record<string, string> = {};
  for (const { key, value } of formFields) if (key !== 'sig') fields[key] = value;
  Object.freeze(fields);

  const sent = fields.notification_type ?? '';
  const test = sent.endsWith(TEST_SUFFIX);
  const type = test ? sent.slice(0, -TEST_SUFFIX.length) : sent;
  const version = optionalText(fields, 'version');

  if (!TYPES.has(type)) {
    const unknown: PaymentNotification = { type: 'unknown', notification_type: sent, test, fields };
    const appId = fields.app_id;
    const userId = fields.user_id;
    if (appId !== undefined && POSITIVE_ID.test(appId)) unknown.app_id = Number(appId);
    if (userId !== undefined && POSITIVE_ID.test(userId)) unknown.user_id = Number(userId);
    if (version !== undefined) unknown.version = version;
    return unknown;
  }

  const base: PaymentNotificationBase = {
    notification_type: sent,
    test,
    app_id: positiveId(fields, 'app_id'),
    user_id: positiveId(fields, 'user_id'),
    fields,
  };
  if (version !== undefined) base.version = version;

  switch (type as PaymentNotificationType) {
    case 'get_item':
    case 'get_subscription':
      return compact({
        type: type as 'get_item' | 'get_subscription',
        ...base,
        item: requiredText(fields, 'item'),
        order_id: optionalPositiveId(fields, 'order_id'),
        receiver_id: optionalInteger(fields, 'receiver_id'),
        lang: optionalText(fields, 'lang'),
      });
    case 'order_status_change':
      return compact({
        type: 'order_status_change',
        ...base,
        order_id: positiveId(fields, 'order_id'),
        status: requiredText(fields, 'status'),
        date: optionalInteger(fields, 'date'),
        receiver_id: optionalInteger(fields, 'receiver_id'),
        item: optionalText(fields, 'item'),
        item_id: optionalText(fields, 'item_id'),
        item_title: optionalText(fields, 'item_title'),
        item_photo_url: optionalText(fields, 'item_photo_url'),
        item_price: optionalInteger(fields, 'item_price'),
        item_discount: optionalInteger(fields, 'item_discount'),
      });
    case 'subscription_status_change':
      return compact({
        type: 'subscription_status_change',
        ...base,
        subscription_id: positiveId(fields, 'subscription_id'),
        status: requiredText(fields, 'status'),
        cancel_reason: optionalText(fields, 'cancel_reason'),
        pending_cancel: optionalFlag(fields, 'pending_cancel'),
        next_bill_time: optionalInteger(fields, 'next_bill_time'),
        receiver_id: optionalInteger(fields, 'receiver_id'),
        item: optionalText(fields, 'item'),
        item_id: optionalText(fields, 'item_id'),
        item_price: optionalInteger(fields, 'item_price'),
      });
  }
}

/** Drops the keys whose value is `undefined`, so absent fields are absent, not `undefined`. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value)) {
    if ((value as Record<string, unknown>)[key] === undefined) delete (value as Record<string, unknown>)[key];
  }
  return value;
}

function requiredText(fields: Fields, key: string): string {
  const value = fields[key];
  if (value === undefined || value === '') missing(fields, key);
  return value;
}

function optionalText(fields: Fields, key: string): string | undefined {
  const value = fields[key];
  return value === '' ? undefined : value;
}

function positiveId(fields: Fields, key: string): number {
  const value = fields[key];
  if (value === undefined || value === '') missing(fields, key);
  return parsePositiveId(value) ?? notA(fields, key, 'a positive integer');
}

function optionalPositiveId(fields: Fields, key: string): number | undefined {
  return fields[key] === undefined || fields[key] === '' ? undefined : positiveId(fields, key);
}

function optionalInteger(fields: Fields, key: string): number | undefined {
  const value = fields[key];
  if (value === undefined || value === '') return undefined;
  return parseInteger(value) ?? notA(fields, key, 'an integer');
}

function optionalFlag(fields: Fields, key: string): boolean | undefined {
  const value = fields[key];
  if (value === undefined || value === '') return undefined;
  if (value !== '0' && value !== '1') notA(fields, key, '0 or 1');
  return value === '1';
}

function missing(fields: Fields, key: string): never {
  return fail('MALFORMED', `The ${fields.notification_type} notification has no "${key}".`);
}

function notA(fields: Fields, key: string, what: string): never {
  return fail('MALFORMED', `The "${key}" of the ${fields.notification_type} notification is not ${what}.`);
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VkAuthError, type VkAuthErrorCode } from '../../src/index.js';
import {
  MAX_NOTIFICATION_LENGTH,
  type PaymentNotification,
  signPaymentNotification,
  verifyPaymentNotification,
} from '../../src/payments.js';
import {
  APP_ID,
  getItem,
  getSubscription,
  independentSig,
  orderStatusChange,
  SECRET,
  signed,
  subscriptionStatusChange,
  USER_ID,
} from './fixtures.js';

interface PaymentsVector {
  id: string;
  secret: string;
  params: Record<string, string>;
  sig: string;
  note?: string;
}

const vectorsPath = fileURLToPath(new URL('../fixtures/vectors.json', import.meta.url));
const paymentVectors: PaymentsVector[] = JSON.parse(readFileSync(vectorsPath, 'utf8')).payments;

function refusal(attempt: () => unknown): VkAuthError {
  try {
    attempt();
  } catch (error) {
    if (VkAuthError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a VkAuthError, but the notification was accepted');
}

function expectRefused(attempt: () => unknown, code: VkAuthErrorCode): VkAuthError {
  const error = refusal(attempt);
  expect(error.code).toBe(code);
  expect(error.message).not.toContain(SECRET);
  return error;
}

describe('the payments known-answer vectors (test/fixtures/vectors.json)', () => {
  it('has them', () => {
    expect(paymentVectors.length).toBeGreaterThanOrEqual(2);
  });

  for (const vector of paymentVectors) {
    it(`${vector.id}: the signer gives VK's sig, and the verifier accepts it in every input form`, () => {
      const body = signPaymentNotification(vector.params, vector.secret);
      expect(new URLSearchParams(body).get('sig')).toBe(vector.sig);
      expect(independentSig(vector.params, vector.secret)).toBe(vector.sig);

      const fields = { ...vector.params, sig: vector.sig };
      const forms = {
        'raw body': new URLSearchParams(fields).toString(),
        bytes: new TextEncoder().encode(new URLSearchParams(fields).toString()),
        URLSearchParams: new URLSearchParams(fields),
        'plain object': fields,
      };
      for (const form of Object.values(forms)) {
        const notification = verifyPaymentNotification(form, vector.secret);
        expect(notification.fields).toEqual(vector.params);
      }
    });

    it(`${vector.id}: the wrong secret, or one field changed, is SIGN_INVALID`, () => {
      const fields = { ...vector.params, sig: vector.sig };
      expectRefused(() => verifyPaymentNotification(fields, `${vector.secret}x`), 'SIGN_INVALID');
      expectRefused(() => verifyPaymentNotification({ ...fields, extra: '1' }, vector.secret), 'SIGN_INVALID');
      for (const key of Object.keys(vector.params)) {
        expectRefused(
          () => verifyPaymentNotification({ ...fields, [key]: `${vector.params[key]}0` }, vector.secret),
          'SIGN_INVALID',
        );
      }
    });
  }

  it("the Go SDK vector's notification type is unknown here, and still verifies", () => {
    const vector = paymentVectors.find((v) => v.id === 'payments-go-sdk');
    if (vector === undefined) return;
    const notification = verifyPaymentNotification({ ...vector.params, sig: vector.sig }, vector.secret);
    expect(notification).toMatchObject({ type: 'unknown', notification_type: 'not_processed', test: false });
    expect(notification.app_id).toBe(1);
  });
});

describe('verifyPaymentNotification: typed notifications', () => {
  it('types get_item, keeping every field in `fields`', () => {
    const notification = verifyPaymentNotification(signed(getItem()), SECRET);
    expect(notification).toEqual({
      type: 'get_item',
      notification_type: 'get_item',
      test: false,
      app_id: APP_ID,
      user_id: USER_ID,
      version: '5.132',
      item: 'badge',
      order_id: 2044594,
      receiver_id: USER_ID,
      lang: 'ru_RU',
      fields: {
        app_id: String(APP_ID),
        item: 'badge',
        lang: 'ru_RU',
        notification_type: 'get_item',
        order_id: '2044594',
        receiver_id: String(USER_ID),
        user_id: String(USER_ID),
        version: '5.132',
      },
    });
  });

  it('flags the _test variants with test: true, the type without the suffix', () => {
    for (const [fields, type] of [
      [getItem({ notification_type: 'get_item_test' }), 'get_item'],
      [getSubscription({ notification_type: 'get_subscription_test' }), 'get_subscription'],
      [orderStatusChange({ notification_type: 'order_status_change_test' }), 'order_status_change'],
      [
        subscriptionStatusChange({ notification_type: 'subscription_status_change_test' }),
        'subscription_status_change',
      ],
    ] as const) {
      const notification = verifyPaymentNotification(signed(fields), SECRET);
      expect(notification.type).toBe(type);
      expect(notification.test).toBe(true);
      expect(notification.notification_type).toBe(`${type}_test`);
    }
  });

  it('types order_status_change: numbers, the UTF-8 title decoded, a zero discount as 0', () => {
    const notification = verifyPaymentNotification(signed(orderStatusChange()), SECRET);
    expect(notification).toMatchObject({
      type: 'order_status_change',
      order_id: 2044861,
      status: 'chargeable',
      date: 1656358147,
      item: 'badge',
      item_id: 'badge-internal',
      item_title: 'Золотой значок',
      item_photo_url: 'https://my-app.example.com/badge.png',
      item_price: 3,
      item_discount: 0,
    });
  });

  it('types subscription_status_change: pending_cancel as a boolean, an empty cancel_reason as absent', () => {
    const notification = verifyPaymentNotification(signed(subscriptionStatusChange()), SECRET);
    expect(notification).toMatchObject({
      type: 'subscription_status_change',
      subscription_id: 31337,
      status: 'chargeable',
      pending_cancel: false,
      next_bill_time: 1767225600,
      item_price: 10,
    });
    expect(notification).not.toHaveProperty('cancel_reason');
    const cancelled = verifyPaymentNotification(
      signed(subscriptionStatusChange({ status: 'cancelled', cancel_reason: 'user_decision', pending_cancel: 1 })),
      SECRET,
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', cancel_reason: 'user_decision', pending_cancel: true });
  });

  it('narrows on `type` (compile-time check)', () => {
    const notification: PaymentNotification = verifyPaymentNotification(signed(orderStatusChange()), SECRET);
    if (notification.type === 'order_status_change') {
      const orderId: number = notification.order_id;
      expect(orderId).toBe(2044861);
    } else throw new Error('not narrowed');
  });

  it('refuses, after the signature, a known type with a required field missing or not a number (MALFORMED)', () => {
    const cases = [
      getItem({ item: '' }),
      orderStatusChange({ order_id: 'abc' }),
      orderStatusChange({ order_id: 0 }),
      orderStatusChange({ status: '' }),
      orderStatusChange({ item_price: '3.5' }),
      subscriptionStatusChange({ pending_cancel: 2 }),
      subscriptionStatusChange({ subscription_id: '' }),
      getItem({ user_id: '-1' }),
      getItem({ app_id: '99999999999999999' }),
    ];
    for (const fields of cases) {
      const error = expectRefused(() => verifyPaymentNotification(signed(fields), SECRET), 'MALFORMED');
      expect(error.message).toMatch(/notification/);
    }
    // The same fields unsigned are a signature failure first.
    expectRefused(
      () =>
        verifyPaymentNotification(
          `${new URLSearchParams(orderStatusChange({ order_id: 'abc' }) as never)}&sig=${'0'.repeat(32)}`,
          SECRET,
        ),
      'SIGN_INVALID',
    );
  });
});

describe('verifyPaymentNotification: the sig rule', () => {
  it('hashes the decoded values: an encoding VK might use for the same text verifies the same', () => {
    const fields = orderStatusChange({ item_title: 'A+B & C=D 100% ✓' });
    const body = signed(fields);
    const sig = new URLSearchParams(body).get('sig') ?? '';
    const encodings = [
      body,
      // %20 for spaces instead of +, and every byte escaped
      `${Object.entries(fields)
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
        .join('&')}&sig=${sig}`,
      // another order of the pairs
      `sig=${sig}&${new URLSearchParams(Object.entries(fields).reverse() as [string, string][])}`,
    ];
    for (const encoding of encodings) {
      expect(verifyPaymentNotification(encoding, SECRET).fields.item_title).toBe('A+B & C=D 100% ✓');
    }
  });

  it('sorts keys by code point (UTF-8 byte order), as VK does', () => {
    const fields = { notification_type: 'x', '\uffff': '1', '\u{1f600}': '2', a: '3' };
    const body = signed(fields);
    expect(new URLSearchParams(body).get('sig')).toBe(independentSig(fields, SECRET));
    expect(verifyPaymentNotification(body, SECRET).type).toBe('unknown');
  });

  it('accepts a key rotation list and a per-app map, picking the map entry by app_id', () => {
    const body = signed(getItem());
    expect(verifyPaymentNotification(body, ['new-key', SECRET]).type).toBe('get_item');
    expect(verifyPaymentNotification(body, { [APP_ID]: SECRET, 1: 'other' }).type).toBe('get_item');
    expect(verifyPaymentNotification(body, { [APP_ID]: ['new-key', SECRET] }).type).toBe('get_item');
    expectRefused(() => verifyPaymentNotification(body, { 1: SECRET }), 'UNKNOWN_APP');
    expectRefused(() => verifyPaymentNotification(signed(getItem({ app_id: '' })), { 1: SECRET }), 'APP_ID_MISSING');
    expectRefused(() => verifyPaymentNotification(body, { 1: 'other' }), 'UNKNOWN_APP');
  });

  it('throws a TypeError for a bad secret option, naming no value', () => {
    for (const secret of ['', [], {}, null, 42, ['']] as never[]) {
      expect(() => verifyPaymentNotification(signed(getItem()), secret)).toThrow(TypeError);
    }
  });

  it('refuses a missing sig (SIGN_MISSING) and one of the wrong shape (SIGN_INVALID)', () => {
    const body = signed(getItem());
    const sig = new URLSearchParams(body).get('sig') ?? '';
    const unsigned = new URLSearchParams(getItem() as never).toString();
    expectRefused(() => verifyPaymentNotification(unsigned, SECRET), 'SIGN_MISSING');
    expectRefused(() => verifyPaymentNotification(`${unsigned}&sig=`, SECRET), 'SIGN_MISSING');
    expectRefused(() => verifyPaymentNotification(`${unsigned}&sig=${sig.toUpperCase()}`, SECRET), 'SIGN_INVALID');
    expectRefused(() => verifyPaymentNotification(`${unsigned}&sig=${sig}0`, SECRET), 'SIGN_INVALID');
    expectRefused(() => verifyPaymentNotification(`${unsigned}&sig=${sig.slice(1)}`, SECRET), 'SIGN_INVALID');
  });

  it('refuses repeated keys in every input form (DUPLICATE_PARAM), even with a valid sig for one of them', () => {
    const body = signed(getItem());
    expectRefused(() => verifyPaymentNotification(`${body}&item=gold`, SECRET), 'DUPLICATE_PARAM');
    expectRefused(() => verifyPaymentNotification(`item=gold&${body}`, SECRET), 'DUPLICATE_PARAM');
    expectRefused(() => verifyPaymentNotification(`${body}&sig=${'0'.repeat(32)}`, SECRET), 'DUPLICATE_PARAM');
    const params = new URLSearchParams(body);
    params.append('item', 'gold');
    expectRefused(() => verifyPaymentNotification(params, SECRET), 'DUPLICATE_PARAM');
    const object = { ...Object.fromEntries(new URLSearchParams(body)), item: ['badge', 'gold'] };
    expectRefused(() => verifyPaymentNotification(object, SECRET), 'DUPLICATE_PARAM');
    // A one-element array (qs's shape for one value) is that value.
    const single = { ...Object.fromEntries(new URLSearchParams(body)), item: ['badge'] };
    expect(verifyPaymentNotification(single, SECRET).type).toBe('get_item');
  });

  it('reads FormData like URLSearchParams, and refuses a file in it', () => {
    const data = new FormData();
    for (const [key, value] of new URLSearchParams(signed(getItem()))) data.append(key, value);
    expect(verifyPaymentNotification(data, SECRET).type).toBe('get_item');
    data.append('photo', new Blob(['x']), 'x.png');
    expectRefused(() => verifyPaymentNotification(data, SECRET), 'MALFORMED');
  });

  it('refuses bad escapes, bytes that are not UTF-8, empty and prototype keys, nested values (MALFORMED)', () => {
    const body = signed(getItem());
    expectRefused(() => verifyPaymentNotification(`${body}&x=%E0%A4%A`, SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification(`${body}&x=%FF`, SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification(new Uint8Array([0x61, 0x3d, 0xff]), SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification(`${body}&=x`, SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification(`${body}&__proto__=x`, SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification(`${body}&constructor=x`, SECRET), 'MALFORMED');
    const fields = Object.fromEntries(new URLSearchParams(body));
    expectRefused(() => verifyPaymentNotification({ ...fields, item: { a: 1 } } as never, SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification({ ...fields, item: null } as never, SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification({ ...fields, item: true } as never, SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification(new Map() as never, SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification(42 as never, SECRET), 'MALFORMED');
    expectRefused(() => verifyPaymentNotification(null as never, SECRET), 'MALFORMED');
  });

  it('skips empty segments and reads a key without "=" as an empty value, as form parsers do', () => {
    const fields = { ...getItem(), flag: '' };
    const body = signed(fields).replace('flag=', 'flag');
    expect(verifyPaymentNotification(`&&${body}&`, SECRET).fields.flag).toBe('');
  });

  it('refuses bodies over the limit (TOO_LARGE) before hashing them', () => {
    const body = `${signed(getItem())}&padding=${'x'.repeat(MAX_NOTIFICATION_LENGTH)}`;
    expectRefused(() => verifyPaymentNotification(body, SECRET), 'TOO_LARGE');
    expectRefused(() => verifyPaymentNotification(new TextEncoder().encode(body), SECRET), 'TOO_LARGE');
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, '1']));
    expectRefused(() => verifyPaymentNotification(many, SECRET), 'TOO_LARGE');
  });
});

describe('properties', () => {
  const key = fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((k) => !['sig', '__proto__', 'constructor', 'prototype'].includes(k));
  const fieldsArbitrary = fc.dictionary(key, fc.string({ maxLength: 40 }), { minKeys: 1, maxKeys: 12 });
  const secretArbitrary = fc.string({ minLength: 1, maxLength: 32 });

  it('round trip: whatever the fields, a signed form verifies and gives them back', () => {
    fc.assert(
      fc.property(fieldsArbitrary, secretArbitrary, (fields, secret) => {
        const body = signPaymentNotification(fields, secret);
        const notification = verifyPaymentNotification(body, secret);
        expect(notification.fields).toEqual(fields);
        expect(new URLSearchParams(body).get('sig')).toBe(independentSig(fields, secret));
      }),
      { numRuns: 300 },
    );
  });

  it('any change to one field, or to the sig, is refused', () => {
    fc.assert(
      fc.property(
        fieldsArbitrary,
        secretArbitrary,
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 5 }),
        (fields, secret, pick, change) => {
          const body = signPaymentNotification(fields, secret);
          const params = Object.fromEntries(new URLSearchParams(body));
          const keys = Object.keys(fields);
          const target = keys[pick % keys.length] as string;
          const altered = { ...params, [target]: `${params[target]}${change}` };
          expect(() => verifyPaymentNotification(altered, secret)).toThrow(VkAuthError);
          const sig = params.sig as string;
          const position = pick % 32;
          const flipped = sig.slice(0, position) + (sig[position] === '0' ? '1' : '0') + sig.slice(position + 1);
          expect(refusal(() => verifyPaymentNotification({ ...params, sig: flipped }, secret)).code).toBe(
            'SIGN_INVALID',
          );
          const renamed = { ...params, [`${target}_`]: params[target] as string };
          delete (renamed as Record<string, string>)[target];
          if (!(`${target}_` in fields)) expect(() => verifyPaymentNotification(renamed, secret)).toThrow(VkAuthError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('garbage, as text, bytes or objects, only ever gives a VkAuthError', () => {
    const garbage = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      fc
        .array(fc.constantFrom('sig=', 'a=', '%', '%2', '%FF', '&', '=', '+', 'notification_type=get_item', '0'), {
          maxLength: 30,
        })
        .map((parts) => parts.join('')),
      fc.dictionary(fc.string({ maxLength: 10 }), fc.anything()),
    );
    fc.assert(
      fc.property(garbage, (input) => {
        try {
          verifyPaymentNotification(input as never, SECRET);
        } catch (error) {
          expect(VkAuthError.is(error)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
